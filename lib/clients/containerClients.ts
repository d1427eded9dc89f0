import { feishuHttp } from './feishuHttp';
import { buildS3Client } from './buildS3Client';
import type { Clients, CounterTable, ParameterStore } from './Clients';
import { buildDynamoClient, dynamoCounterTable } from './dynamoCounterTable';
import { ssmParameterStore } from './ssmParameterStore';

let clients: Clients | undefined;

/**
 * The execution environment's own clients, each built at its first use and kept for the
 * container's life, so warm invocations reuse their connections and caches. The SSM client is
 * built only when a `*_PARAMETER` setting is first read, the DynamoDB client only when
 * `RATE_LIMIT_TABLE` names the shared rate budget. Their code is imported statically: as
 * a dynamic import, esbuild could not tree-shake it, which made every bundle 100 KB larger and
 * its load slower (bench/README.md, "What the AWS SDK changed").
 *
 * @example
 * export const handler = createHandler(im); // uses containerClients()
 */
export function containerClients(): Clients {
  if (clients) return clients;
  const s3 = new Map<boolean, ReturnType<typeof buildS3Client>>();
  let parameters: ParameterStore | undefined;
  let dynamo: ReturnType<typeof buildDynamoClient> | undefined;
  const counters = new Map<string, CounterTable>();
  clients = {
    s3(forcePathStyle) {
      let client = s3.get(forcePathStyle);
      if (!client) {
        client = buildS3Client(forcePathStyle);
        s3.set(forcePathStyle, client);
      }
      return client;
    },
    async parameters() {
      parameters ??= ssmParameterStore();
      return parameters;
    },
    counters(tableName) {
      let table = counters.get(tableName);
      if (!table) {
        dynamo ??= buildDynamoClient();
        table = dynamoCounterTable(dynamo, tableName);
        counters.set(tableName, table);
      }
      return table;
    },
    feishuHttp,
  };
  return clients;
}
