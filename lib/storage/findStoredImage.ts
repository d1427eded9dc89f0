import type { S3Api } from './S3Api';
import { storageError } from './storageError';
import { METADATA, type StoredImage } from './StoredImage';

/**
 * The image stored under `key`, with one HEAD request (and, for a large image, whose sha256
 * is its tag, one GET of its tags); undefined when there is none, or when the one there is not
 * finished (its sha256 not yet recorded).
 *
 * @example
 * const stored = await findStoredImage(client, 'images', 'feishu/im/img_v3_01');
 */
export async function findStoredImage(client: S3Api, bucket: string, key: string): Promise<StoredImage | undefined> {
  let head;
  let sha256;
  try {
    head = await client.headObject(bucket, key);
    sha256 = head?.metadata[METADATA.sha256];
    // Not every S3-compatible server counts tags on HEAD, so a large image's tags are asked for.
    if (head && !sha256) sha256 = (await client.getObjectTagging(bucket, key))[METADATA.sha256];
  } catch (error) {
    throw storageError(`looking up ${key}`, error);
  }
  const fetchedAt = head?.metadata[METADATA.fetchedAt];
  if (!head || !sha256 || !fetchedAt || head.contentLength === undefined || !head.contentType) return undefined;
  return { bucket, key, contentType: head.contentType, size: head.contentLength, sha256, fetchedAt, logId: head.metadata[METADATA.logId] };
}
