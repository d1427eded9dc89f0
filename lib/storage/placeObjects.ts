import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { storageError } from './storageError';

/**
 * Reads a JSON object the run wrote, or undefined when there is none (yet).
 *
 * @example
 * const cursor = await readJson<CrawlCursor>(s3, bucket, keys.cursor, deadline.signal);
 */
export async function readJson<T>(
  client: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
): Promise<T | undefined> {
  const text = await readText(client, bucket, key, signal);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

/** Reads an object as text, or undefined when there is none. */
export async function readText(
  client: S3Client,
  bucket: string,
  key: string,
  abortSignal: AbortSignal,
): Promise<string | undefined> {
  try {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
    return (await Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound')) return undefined;
    throw storageError(`reading ${key}`, error);
  }
}

/**
 * Writes a run's object: JSON, or JSON Lines (`application/x-ndjson`) when its key ends `.jsonl`.
 *
 * @example
 * await writeText(s3, bucket, keys.part(1), lines.join('\n'), deadline.signal);
 */
export async function writeText(
  client: S3Client,
  bucket: string,
  key: string,
  body: string,
  abortSignal: AbortSignal,
): Promise<void> {
  const contentType = key.endsWith('.jsonl') ? 'application/x-ndjson' : 'application/json';
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }), {
      abortSignal,
    });
  } catch (error) {
    throw storageError(`writing ${key}`, error);
  }
}
