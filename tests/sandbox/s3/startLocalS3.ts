import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

/** The credentials s3rver accepts. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** A running in-process S3-compatible server. */
export interface LocalS3 {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts s3rver, an S3-compatible server that runs inside this Node process and keeps its
 * objects as files under `directory`, with the buckets created. It is quick but does not
 * verify signatures or abort multipart uploads: tests of those run against Ceph's RGW.
 *
 * @example
 * const s3 = await startLocalS3({ directory: '.local-s3', buckets: ['feishu-images'] });
 */
export async function startLocalS3(options: { directory: string; buckets: string[]; port?: number; keepData?: boolean }): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    port: options.port ?? 0,
    address: '127.0.0.1',
    silent: true,
    directory: options.directory,
    resetOnClose: !options.keepData,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  let closing: Promise<void> | undefined;
  // Idempotent: a test may stop the server on purpose before the harness closes it.
  return { endpoint: `http://127.0.0.1:${port}`, close: () => (closing ??= server.close()) };
}
