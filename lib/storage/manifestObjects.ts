import { AwsServiceError } from '../aws/AwsServiceError';
import { MirrorError } from '../errors/MirrorError';
import type { S3Api } from './S3Api';
import { storageError } from './storageError';

/**
 * Reads a small object (an S3 manifest) as UTF-8 text, refusing more than `maxBytes` with
 * PAYLOAD_TOO_LARGE, by its size when S3 tells it and by counting otherwise.
 *
 * @example
 * const text = await readObjectText(client, bucket, 'requests/im/export.jsonl', 1024 * 1024);
 */
export async function readObjectText(client: S3Api, bucket: string, key: string, maxBytes: number): Promise<string> {
  try {
    return (await client.getObject(bucket, key, maxBytes)).toString('utf8');
  } catch (error) {
    if (error instanceof AwsServiceError && error.name === 'TooLarge') {
      throw new MirrorError('PAYLOAD_TOO_LARGE', `the manifest is over MANIFEST_MAX_BYTES (${maxBytes}); split it into smaller ones`, { cause: error });
    }
    throw storageError(`reading the manifest ${key}`, error);
  }
}

/**
 * Writes a value as a JSON object (a manifest's results), whole in one PUT.
 *
 * @example
 * await writeJsonObject(client, bucket, 'results/im/export.json', answer);
 */
export async function writeJsonObject(client: S3Api, bucket: string, key: string, value: unknown): Promise<void> {
  try {
    await client.putObject(bucket, key, Buffer.from(JSON.stringify(value, null, 2)), { contentType: 'application/json', metadata: {} });
  } catch (error) {
    throw storageError(`writing the results ${key}`, error);
  }
}
