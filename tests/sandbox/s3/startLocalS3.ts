import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import S3rver from 's3rver';
import FilesystemStore from 's3rver/lib/stores/filesystem';

/**
 * s3rver keeps every segment of a key as a file or folder name, which Linux limits to 255
 * bytes (the last one also carries a 15-byte suffix), while S3 takes up to 1,024 bytes in one
 * segment: a 256-character id could not be stored. Its key-path encoding, meant for the
 * characters Windows forbids, also cuts every longer segment here into pieces of at most
 * PIECE_BYTES, each but the last ending in CUT and a folder separator; decoding joins them
 * back, so listings show the keys as they were put.
 */
const PIECE_BYTES = 200;
const CUT = '\u0001';

function cutLongSegments(key: string): string {
  return key
    .split('/')
    .map((segment) => {
      if (Buffer.byteLength(segment) <= PIECE_BYTES) return segment;
      const pieces: string[] = [];
      let piece = '';
      for (const character of segment) {
        if (Buffer.byteLength(piece + character) > PIECE_BYTES) {
          pieces.push(piece);
          piece = '';
        }
        piece += character;
      }
      return [...pieces, piece].join(`${CUT}/`);
    })
    .join('/');
}

FilesystemStore.encodeKeyPath = cutLongSegments;
FilesystemStore.decodeKeyPath = (keyPath: string): string => keyPath.split(`${CUT}/`).join('');

/** The part of s3rver's file store the PUT below uses. */
interface StoreInternals {
  getResourcePath(bucket: string, key: string, kind: 'object'): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
}

/**
 * s3rver answers a PUT once the body has passed through, before its file is written, so a GET
 * sent at once (the next invocation reading what the last one wrote) may read a file still
 * empty. S3 reads back whatever it acknowledged: the store writes the object's file whole, under
 * a temporary name renamed into place, before it answers.
 */
FilesystemStore.prototype.putObject = async function putObject(
  this: StoreInternals,
  given: unknown,
): Promise<{ size: number; md5: string }> {
  const object = given as { bucket: string; key: string; content: Buffer | AsyncIterable<Buffer>; metadata: unknown };
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await mkdir(dirname(objectPath), { recursive: true });
  const chunks: Buffer[] = [];
  if (Buffer.isBuffer(object.content)) chunks.push(object.content);
  else for await (const chunk of object.content) chunks.push(Buffer.from(chunk));
  const content = Buffer.concat(chunks);
  const md5 = createHash('md5').update(content).digest('hex');
  const temporary = `${objectPath}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, objectPath);
  await this.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size: content.length, md5 };
};

/** The credentials s3rver accepts. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * The AWS SDK's checksum settings for S3-compatible servers that cannot decode its aws-chunked
 * uploads (its default on AWS: a streamed body framed in chunks with a CRC32 trailer). s3rver
 * would store the framing as the object; Ceph RGW 16 refuses such uploads. With these, the SDK
 * adds a checksum only where an operation requires one, and checks answers likewise.
 */
export const S3_COMPATIBLE_CHECKSUMS = {
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
} as const;

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
export async function startLocalS3(options: {
  directory: string;
  buckets: string[];
  port?: number;
  keepData?: boolean;
}): Promise<LocalS3> {
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
  // Node closes an idle kept-alive connection after 5 s; a request the SDK sends on it just then
  // meets a reset and is sent again, one S3 request more than the code made, which the tests
  // that count requests would blame on the code (seen on a loaded machine).
  const { httpServer } = server as unknown as { httpServer: import('node:http').Server };
  httpServer.keepAliveTimeout = 60_000;
  let closing: Promise<void> | undefined;
  // Idempotent: a test may stop the server on purpose before the harness closes it.
  return { endpoint: `http://127.0.0.1:${port}`, close: () => (closing ??= server.close()) };
}
