import type { S3Api } from './S3Api';
import { storageError } from './storageError';
import { METADATA, type StoredImage } from './StoredImage';

/**
 * The image stored under `key`, with one HEAD request; undefined when there is none, or when
 * the one there is not finished (its sha256 not yet recorded after a multipart upload).
 *
 * @example
 * const stored = await findStoredImage(client, 'images', 'feishu/im/img_v3_01');
 */
export async function findStoredImage(client: S3Api, bucket: string, key: string): Promise<StoredImage | undefined> {
  let head;
  try {
    head = await client.headObject(bucket, key);
  } catch (error) {
    throw storageError(`looking up ${key}`, error);
  }
  const sha256 = head?.metadata[METADATA.sha256];
  const fetchedAt = head?.metadata[METADATA.fetchedAt];
  if (!head || !sha256 || !fetchedAt || head.contentLength === undefined || !head.contentType) return undefined;
  return { bucket, key, contentType: head.contentType, size: head.contentLength, sha256, fetchedAt, logId: head.metadata[METADATA.logId] };
}
