import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { MeteredBody } from '../image/MeteredBody';
import type { Deadline } from '../runtime/Deadline';
import { logger } from '../runtime/logger';
import { isPrintableAscii } from '../runtime/printableAscii';
import { Semaphore } from '../runtime/Semaphore';
import { storageError } from './storageError';
import { METADATA, type StoredImage } from './StoredImage';

/** S3's smallest part; also the largest image stored with a single PUT. */
export const PART_BYTES = 5 * 1024 * 1024;
/** Parts in flight at once: download and upload overlap, memory stays near 5 × PART_BYTES. */
export const PARTS_IN_FLIGHT = 4;
/**
 * Multipart uploads at once in one container: a batch may store many large images of unknown
 * length together, and each holds up to five part buffers (25 MiB).
 */
export const MULTIPART_UPLOADS_AT_ONCE = 2;

const multipartSlots = new Semaphore(MULTIPART_UPLOADS_AT_ONCE);

/** Where and how to store one image. */
export interface StoreTarget {
  bucket: string;
  key: string;
  contentType: string;
  fetchedAt: string;
  logId?: string;
  /** The file's name as Feishu gave it, made safe (`safeFileName`). */
  fileName?: string;
}

/**
 * Streams an image body into S3 under its final key, so the object appears whole or not at
 * all, and records its sha256:
 * - up to PART_BYTES, one PUT carrying the sha256 in its metadata;
 * - larger, with a length Feishu announced: one PUT streaming the body as it arrives (S3
 *   stores nothing unless every announced byte arrives);
 * - larger, of unknown length: a multipart upload, aborted on any failure.
 * A large image's sha256, known only at the end, is then recorded as the object's tag.
 * Every call takes the deadline's signal. A failure of the body (its ImageBodyError) wins over
 * the upload's own report of it; any other is translated by `storageError`.
 *
 * @example
 * const stored = await storeImage(client, body, { bucket, key, contentType: 'image/png', fetchedAt }, deadline);
 */
export async function storeImage(
  client: S3Client,
  body: MeteredBody,
  target: StoreTarget,
  deadline: Deadline,
): Promise<StoredImage> {
  try {
    const length = body.expectedLength;
    if (length !== undefined && length > PART_BYTES && length <= MAX_PUT_BYTES) {
      await putStreamed(client, body, length, target, deadline.signal);
      await tagSha256(client, target, body.sha256, deadline.signal);
    } else {
      await storeInParts(client, body, target, deadline);
    }
    return {
      bucket: target.bucket,
      key: target.key,
      contentType: target.contentType,
      size: body.size,
      sha256: body.sha256,
      fetchedAt: target.fetchedAt,
      logId: target.logId,
      ...(target.fileName === undefined ? {} : { fileName: target.fileName }),
    };
  } catch (error) {
    await body.cancel();
    throw body.failure ?? storageError(`storing ${target.key}`, error);
  }
}

/** The largest object S3 takes in one PUT. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;

/**
 * One PutObject whose body streams from Feishu as it arrives. S3 stores it only once all
 * `length` bytes arrived; the SDK never retries it (a stream cannot be read twice). When the
 * body fails, the call is aborted at once instead of waiting for bytes that will not come.
 */
async function putStreamed(
  client: S3Client,
  body: MeteredBody,
  length: number,
  target: StoreTarget,
  abortSignal: AbortSignal,
): Promise<void> {
  const stream = Readable.from(body.chunks(), { objectMode: false });
  const bodyFailed = new AbortController();
  stream.once('error', (error) => bodyFailed.abort(error));
  const command = new PutObjectCommand({ ...objectFields(target), Body: stream, ContentLength: length });
  await client.send(command, { abortSignal: AbortSignal.any([abortSignal, bodyFailed.signal]) });
}

/** Records a large image's sha256, known once it is stored, as its tag: a small request whatever the size. */
async function tagSha256(
  client: S3Client,
  target: StoreTarget,
  sha256: string,
  abortSignal: AbortSignal,
): Promise<void> {
  const Tagging = { TagSet: [{ Key: METADATA.sha256, Value: sha256 }] };
  await client.send(new PutObjectTaggingCommand({ Bucket: target.bucket, Key: target.key, Tagging }), { abortSignal });
}

async function storeInParts(
  client: S3Client,
  body: MeteredBody,
  target: StoreTarget,
  deadline: Deadline,
): Promise<void> {
  // A small image is gathered as it comes, without a part-sized buffer: most images are small.
  const chunks = body.chunks();
  const head: Buffer[] = [];
  let headBytes = 0;
  let next = await chunks.next();
  while (!next.done && headBytes + next.value.length <= PART_BYTES) {
    head.push(next.value);
    headBytes += next.value.length;
    next = await chunks.next();
  }
  if (next.done) {
    const put = new PutObjectCommand({ ...objectFields(target, body.sha256), Body: Buffer.concat(head, headBytes) });
    await client.send(put, { abortSignal: deadline.signal });
    return;
  }
  const release = await multipartSlots.acquire();
  try {
    const buffers = new PartBuffers();
    const parts = partsOf(resume(head, next.value, chunks), buffers);
    const first = await parts.next();
    const second = await parts.next();
    if (first.done || second.done) throw new Error('a body over PART_BYTES makes at least two parts');
    await uploadInParts(client, target, [first.value, second.value], parts, buffers, deadline);
  } finally {
    release();
  }
  await tagSha256(client, target, body.sha256, deadline.signal);
}

async function* resume(head: Buffer[], pending: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  yield pending;
  yield* rest;
}

/**
 * The part-sized buffers of one store, reused once their part is uploaded: memory stays at
 * (PARTS_IN_FLIGHT + 1) parts whatever the image's size, instead of waiting on the garbage
 * collector to free a new 5 MiB buffer per part.
 */
class PartBuffers {
  private readonly free: Buffer[] = [];

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(PART_BYTES);
  }

  give(part: Buffer): void {
    // A last, shorter part is a view of a whole buffer: keep the whole one.
    this.free.push(Buffer.from(part.buffer, part.byteOffset, PART_BYTES));
  }
}

/**
 * The body cut into PART_BYTES buffers (the last one shorter), each copied once from the
 * chunks as they arrive.
 */
async function* partsOf(chunks: AsyncGenerator<Buffer>, buffers: PartBuffers): AsyncGenerator<Buffer> {
  let part = buffers.take();
  let filled = 0;
  for await (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      const copied = chunk.copy(part, filled, offset);
      filled += copied;
      offset += copied;
      if (filled === PART_BYTES) {
        yield part;
        part = buffers.take();
        filled = 0;
      }
    }
  }
  if (filled > 0) yield part.subarray(0, filled);
}

/**
 * Uploads the parts with up to PARTS_IN_FLIGHT at once, reading the next part from Feishu
 * while earlier ones upload. On any failure it waits for the parts in flight to settle, then
 * aborts the upload, so S3 keeps no part of it. With the SDK's default integrity protection
 * (WHEN_SUPPORTED) the upload declares CRC32, each part carries its checksum, and the
 * completion lists them, as lib-storage does.
 */
async function uploadInParts(
  client: S3Client,
  target: StoreTarget,
  firstTwo: [Buffer, Buffer],
  rest: AsyncGenerator<Buffer>,
  buffers: PartBuffers,
  deadline: Deadline,
): Promise<void> {
  const { bucket: Bucket, key: Key } = target;
  const abortSignal = deadline.signal;
  const checksummed = (await client.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED';
  const created = await client.send(
    new CreateMultipartUploadCommand({
      ...objectFields(target),
      ...(checksummed ? { ChecksumAlgorithm: 'CRC32' } : {}),
    }),
    { abortSignal },
  );
  const UploadId = created.UploadId;
  if (!UploadId) throw new Error('S3 started a multipart upload without naming it');
  const uploaded: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const start = (PartNumber: number, bytes: Buffer) => {
    const upload = client
      .send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: bytes }), { abortSignal })
      .then(
        ({ ETag, ChecksumCRC32 }) => {
          uploaded.push({ PartNumber, ETag, ...(ChecksumCRC32 ? { ChecksumCRC32 } : {}) });
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => {
        inFlight.delete(upload);
        buffers.give(bytes);
      });
    inFlight.add(upload);
  };
  try {
    start(1, firstTwo[0]);
    start(2, firstTwo[1]);
    let partNumber = 2;
    for (;;) {
      while (inFlight.size >= PARTS_IN_FLIGHT && !failure) await Promise.race(inFlight);
      if (failure) break;
      const next = await rest.next();
      if (next.done) break;
      partNumber += 1;
      start(partNumber, next.value);
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
    const Parts = uploaded.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }), {
      abortSignal,
    });
  } catch (error) {
    await Promise.all(inFlight);
    // Past the deadline too (half the reserve), so that an upload cut off by time is still aborted.
    await client
      .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }), { abortSignal: deadline.cleanupSignal() })
      .catch(() => undefined);
    throw error;
  }
}

/** The fields every new object is written with: its type and metadata (and, when known up front, its sha256). */
function objectFields(
  target: StoreTarget,
  sha256?: string,
): { Bucket: string; Key: string; ContentType: string; Metadata: Record<string, string> } {
  const metadata: Record<string, string> = {
    [METADATA.fetchedAt]: target.fetchedAt,
    ...(target.logId ? { [METADATA.logId]: target.logId } : {}),
    ...(target.fileName ? { [METADATA.fileName]: encodeURIComponent(target.fileName) } : {}),
    ...(sha256 ? { [METADATA.sha256]: sha256 } : {}),
  };
  for (const [name, value] of Object.entries(metadata)) {
    // User metadata travels as headers: a byte outside printable ASCII would break the request.
    if (isPrintableAscii(value)) continue;
    logger.warn('metadata value dropped', { name, reason: 'not printable ASCII' });
    delete metadata[name];
  }
  return { Bucket: target.bucket, Key: target.key, ContentType: target.contentType, Metadata: metadata };
}
