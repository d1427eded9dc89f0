import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

/** The credentials s3rver accepts. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * The AWS SDK's checksum settings for S3-compatible servers that cannot decode its aws-chunked
 * uploads (its default on AWS: a streamed body framed in chunks with a CRC32 trailer). s3rver
 * would store the framing as the object; Ceph RGW 16 refuses such uploads. With these, the SDK
 * adds a checksum only where an operation requires one, and checks answers likewise.
 */
export const S3_COMPATIBLE_CHECKSUMS = { AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED', AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED' } as const;

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
