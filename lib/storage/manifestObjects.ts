import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MirrorError } from '../errors/MirrorError';
import { storageError } from './storageError';

/**
 * Reads a small object (an S3 manifest) as UTF-8 text, refusing more than `maxBytes` with
 * PAYLOAD_TOO_LARGE, by its size when S3 tells it and by counting otherwise (the rest of the
 * body is then not read).
 *
 * @example
 * const text = await readObjectText(client, bucket, 'requests/im/export.jsonl', 1024 * 1024, deadline.signal);
 */
export async function readObjectText(
  client: S3Client,
  bucket: string,
  key: string,
  maxBytes: number,
  abortSignal: AbortSignal,
): Promise<string> {
  const tooLarge = () =>
    new MirrorError(
      'PAYLOAD_TOO_LARGE',
      `the manifest is over MANIFEST_MAX_BYTES (${maxBytes}); split it into smaller ones`,
    );
  try {
    const { Body, ContentLength } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal,
    });
    const body = (Body ?? []) as AsyncIterable<Uint8Array> & { destroy?: () => void };
    if (ContentLength !== undefined && ContentLength > maxBytes) {
      body.destroy?.();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    // Leaving the loop early (too large) closes the body and its connection.
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge();
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    throw storageError(`reading the manifest ${key}`, error);
  }
}

/**
 * Writes a value as a JSON object (a manifest's results), whole in one PUT, indented for people.
 *
 * @example
 * await writeJsonObject(client, bucket, 'results/im/export.json', answer, deadline.signal);
 */
export function writeJsonObject(
  client: S3Client,
  bucket: string,
  key: string,
  value: unknown,
  abortSignal: AbortSignal,
): Promise<void> {
  return writeJsonText(client, bucket, key, JSON.stringify(value, null, 2), abortSignal);
}

/**
 * Writes JSON text already made (a document's full answer, made once to be measured) as an
 * object, whole in one PUT.
 *
 * @example
 * await writeJsonText(client, bucket, 'results/docx/doxcnA/2026-12-07T10:15:30.123Z-9f2c41ab.json', json, signal);
 */
export async function writeJsonText(
  client: S3Client,
  bucket: string,
  key: string,
  json: string,
  abortSignal: AbortSignal,
): Promise<void> {
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: json, ContentType: 'application/json' }), {
      abortSignal,
    });
  } catch (error) {
    throw storageError(`writing the results ${key}`, error);
  }
}
