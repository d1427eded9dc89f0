import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MirrorError } from '../errors/MirrorError';
import { storageError } from './storageError';

/**
 * Reads a small object (an S3 manifest) as UTF-8 text, refusing more than `maxBytes` with
 * PAYLOAD_TOO_LARGE, by its size when S3 tells it and by counting otherwise.
 *
 * @example
 * const text = await readObjectText(client, bucket, 'requests/im/export.jsonl', 1024 * 1024);
 */
export async function readObjectText(client: S3Client, bucket: string, key: string, maxBytes: number): Promise<string> {
  const tooLarge = (size: string): MirrorError =>
    new MirrorError('PAYLOAD_TOO_LARGE', `the manifest is ${size} bytes, over MANIFEST_MAX_BYTES (${maxBytes}); split it into smaller ones`);
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (got.ContentLength !== undefined && got.ContentLength > maxBytes) {
      await got.Body?.transformToWebStream().cancel().catch(() => undefined);
      throw tooLarge(String(got.ContentLength));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of (got.Body?.transformToWebStream() ?? []) as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge(`more than ${maxBytes}`);
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof MirrorError) throw error;
    throw storageError(`reading the manifest ${key}`, error);
  }
}

/**
 * Writes a value as a JSON object (a manifest's results), whole in one PUT.
 *
 * @example
 * await writeJsonObject(client, bucket, 'results/im/export.json', answer);
 */
export async function writeJsonObject(client: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value, null, 2), ContentType: 'application/json' }));
  } catch (error) {
    throw storageError(`writing the results ${key}`, error);
  }
}
