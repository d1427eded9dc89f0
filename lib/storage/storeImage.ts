import { Readable } from 'node:stream';
import { CopyObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { MirrorError } from '../errors/MirrorError';
import type { MeteredBody } from '../image/MeteredBody';
import { storageError } from './storageError';
import { METADATA, type StoredImage } from './StoredImage';

/** S3's smallest part; also the largest image stored with a single PUT. */
export const PART_BYTES = 5 * 1024 * 1024;
/** Parts in flight at once: download and upload overlap, memory stays near 5 × PART_BYTES. */
const QUEUE_SIZE = 4;

/** Where and how to store one image. */
export interface StoreTarget {
  bucket: string;
  key: string;
  contentType: string;
  fetchedAt: string;
  logId?: string;
}

/**
 * Streams an image body into S3 under its final key, so the object appears whole or not at
 * all: an image up to PART_BYTES goes in one PUT carrying its sha256; a larger one goes as a
 * multipart upload (aborted on any failure, so no parts linger) and its sha256, known only
 * at the end, is then recorded by copying the object onto itself.
 * A failure of the body wins over the upload's own report of it.
 *
 * @example
 * const stored = await storeImage(client, body, { bucket, key, contentType: 'image/png', fetchedAt });
 */
export async function storeImage(client: S3Client, body: MeteredBody, target: StoreTarget): Promise<StoredImage> {
  const chunks = body.chunks();
  try {
    const head: Buffer[] = [];
    let headBytes = 0;
    let next = await chunks.next();
    while (!next.done && headBytes + next.value.length <= PART_BYTES) {
      head.push(next.value);
      headBytes += next.value.length;
      next = await chunks.next();
    }
    if (next.done) {
      await putWhole(client, Buffer.concat(head, headBytes), body.sha256, target);
    } else {
      await uploadInParts(client, Readable.from(resume(head, next.value, chunks)), target);
      await recordSha256(client, body.sha256, target);
    }
    return { bucket: target.bucket, key: target.key, contentType: target.contentType, size: body.size, sha256: body.sha256, fetchedAt: target.fetchedAt, logId: target.logId };
  } catch (error) {
    await body.cancel();
    throw body.failure ?? (error instanceof MirrorError ? error : storageError(`storing ${target.key}`, error));
  }
}

async function* resume(head: Buffer[], pending: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  yield pending;
  yield* rest;
}

function metadata(target: StoreTarget, sha256?: string): Record<string, string> {
  return {
    [METADATA.fetchedAt]: target.fetchedAt,
    ...(target.logId ? { [METADATA.logId]: target.logId } : {}),
    ...(sha256 ? { [METADATA.sha256]: sha256 } : {}),
  };
}

async function putWhole(client: S3Client, bytes: Buffer, sha256: string, target: StoreTarget): Promise<void> {
  await client.send(new PutObjectCommand({
    Bucket: target.bucket, Key: target.key, Body: bytes, ContentLength: bytes.length,
    ContentType: target.contentType, Metadata: metadata(target, sha256),
  }));
}

async function uploadInParts(client: S3Client, stream: Readable, target: StoreTarget): Promise<void> {
  const upload = new Upload({
    client,
    params: { Bucket: target.bucket, Key: target.key, Body: stream, ContentType: target.contentType, Metadata: metadata(target) },
    partSize: PART_BYTES,
    queueSize: QUEUE_SIZE,
    // Abort on failure: parts left behind would be billed and never completed.
    leavePartsOnError: false,
  });
  await upload.done();
}

async function recordSha256(client: S3Client, sha256: string, target: StoreTarget): Promise<void> {
  await client.send(new CopyObjectCommand({
    Bucket: target.bucket, Key: target.key,
    CopySource: `${target.bucket}/${target.key.split('/').map(encodeURIComponent).join('/')}`,
    MetadataDirective: 'REPLACE', ContentType: target.contentType, Metadata: metadata(target, sha256),
  }));
}
