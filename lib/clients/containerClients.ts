import { feishuHttp } from '../feishu/feishuHttp';
import { buildS3Client } from './buildS3Client';
import type { Clients, ParameterStore } from './Clients';

let clients: Clients | undefined;

/**
 * The execution environment's own clients, each built at its first use and kept for the
 * container's life, so warm invocations reuse their connections and caches. The SSM client is
 * a dynamic import, bundled but evaluated only when a `*_PARAMETER` setting is read.
 *
 * @example
 * export const handler = createHandler(im); // uses containerClients()
 */
export function containerClients(): Clients {
  if (clients) return clients;
  const s3 = new Map<boolean, ReturnType<typeof buildS3Client>>();
  let parameters: Promise<ParameterStore> | undefined;
  clients = {
    s3(forcePathStyle) {
      let client = s3.get(forcePathStyle);
      if (!client) {
        client = buildS3Client(forcePathStyle);
        s3.set(forcePathStyle, client);
      }
      return client;
    },
    parameters() {
      parameters ??= import('./ssmParameterStore').then((module) => module.ssmParameterStore());
      // A failed load is not kept: the next read tries again.
      parameters.catch(() => { parameters = undefined; });
      return parameters;
    },
    feishuHttp,
  };
  return clients;
}
