import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { storageError } from './storageError';
import { METADATA, type StoredImage } from './StoredImage';

/**
 * The image stored under `key`, with one HEAD request; undefined when there is none, or when
 * the one there is not finished (its sha256 not yet recorded after a multipart upload).
 *
 * @example
 * const stored = await findStoredImage(client, 'images', 'feishu/im/img_v3_01');
 */
export async function findStoredImage(client: S3Client, bucket: string, key: string): Promise<StoredImage | undefined> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const sha256 = head.Metadata?.[METADATA.sha256];
    const fetchedAt = head.Metadata?.[METADATA.fetchedAt];
    if (!sha256 || !fetchedAt || head.ContentLength === undefined || !head.ContentType) return undefined;
    return { bucket, key, contentType: head.ContentType, size: head.ContentLength, sha256, fetchedAt, logId: head.Metadata?.[METADATA.logId] };
  } catch (error) {
    if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey')) return undefined;
    throw storageError(`looking up ${key}`, error);
  }
}
