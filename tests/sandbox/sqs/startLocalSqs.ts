import { dirname } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { buildApp } from 'fauxqs';
import { LOCAL_S3_CREDENTIALS } from '../s3/startLocalS3';

/**
 * fauxqs is an ES module only: its package exports an `import` entry alone, and jest's module
 * loader, which runs the tests as CommonJS, can neither resolve nor load it. Node's own require,
 * taken from `process.getBuiltinModule` (which jest leaves alone), loads ES modules since Node
 * 22.12; it is given the package's folder, which it enters through the `main` field. fauxqs and
 * its server then run in this process, outside jest's module registry.
 */
function loadFauxqs(): { buildApp: typeof buildApp } {
  const nodeModule = process.getBuiltinModule('node:module');
  const packageJson = nodeModule.findPackageJSON('fauxqs', __filename);
  if (packageJson === undefined) throw new Error('fauxqs is not installed: run npm ci');
  return nodeModule.createRequire(__filename)(dirname(packageJson)) as { buildApp: typeof buildApp };
}

/** A running in-process SQS server (fauxqs). */
export interface LocalSqs {
  endpoint: string;
  /** A client of the server, its endpoint given as the functions' clients get theirs from AWS_ENDPOINT_URL_SQS. */
  client: SQSClient;
  close(): Promise<void>;
}

/**
 * Starts fauxqs, an implementation of SQS's API (with SNS's and S3's, unused here) that runs
 * inside this Node process with its queues in memory, on a free loopback port. It keeps
 * visibility timeouts, receive counts and redrive policies as SQS does; any credentials pass.
 * Its queue URLs name `sqs.{region}.localhost`, which the client never calls: it is given the
 * endpoint, and fauxqs finds a queue by the name and region in its URL.
 *
 * @example
 * const sqs = await startLocalSqs();
 * await sqs.client.send(new CreateQueueCommand({ QueueName: 'feishu-image-mirror-test-imImage' }));
 */
export async function startLocalSqs(options: { port?: number } = {}): Promise<LocalSqs> {
  // startFauxqs would listen on every interface; the app it builds is listened on here, on loopback only.
  const app = loadFauxqs().buildApp({ logger: false });
  const endpoint = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const client = new SQSClient({ endpoint, region: 'us-east-1', credentials: LOCAL_S3_CREDENTIALS });
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    client,
    close: () =>
      (closing ??= (async () => {
        client.destroy();
        await app.close();
      })()),
  };
}
