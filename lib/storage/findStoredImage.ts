import {
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { knownImageType } from '../image/imageTypes';
import { nameWithoutSecret } from '../image/safeFileName';
import { logger } from '../runtime/logger';
import { storageError } from './storageError';
import { METADATA, type StoredImage } from './StoredImage';

/**
 * The image stored under `key`, with one HEAD request (and, for a large image, whose sha256
 * is its tag, one GET of its tags); undefined when there is none, or when the one there is not
 * finished (its sha256 not yet recorded), or when its type is no known image type (stored before
 * types were checked against `IMAGE_TYPES`, such as `image/png.html`): such a copy is fetched and
 * stored again, so it is judged by today's rules instead of served under a type they refuse.
 *
 * @example
 * const stored = await findStoredImage(client, 'images', 'feishu/im/img_v3_01', deadline.signal);
 */
export async function findStoredImage(
  client: S3Client,
  bucket: string,
  key: string,
  abortSignal: AbortSignal,
): Promise<StoredImage | undefined> {
  let head: HeadObjectCommandOutput;
  let sha256: string | undefined;
  try {
    head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
    sha256 = head.Metadata?.[METADATA.sha256];
    // Not every S3-compatible server counts tags on HEAD, so a large image's tags are asked for.
    if (!sha256) {
      const { TagSet } = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }), { abortSignal });
      sha256 = TagSet?.find((tag) => tag.Key === METADATA.sha256)?.Value;
    }
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw storageError(`looking up ${key}`, error);
  }
  const fetchedAt = head.Metadata?.[METADATA.fetchedAt];
  if (!sha256 || !fetchedAt || head.ContentLength === undefined || !head.ContentType) return undefined;
  if (!knownImageType(head.ContentType)) {
    logger.warn('stored image not served', { key, reason: 'its Content-Type is no known image type' });
    return undefined;
  }
  return {
    bucket,
    key,
    contentType: head.ContentType,
    size: head.ContentLength,
    sha256,
    fetchedAt,
    logId: head.Metadata?.[METADATA.logId],
    ...fileNameOf(head.Metadata?.[METADATA.fileName], key),
  };
}

/**
 * The stored file name, decoded; none (then the id names the file) when absent, not
 * percent-encoding, or holding a secret: a name stored before names were checked for tokens
 * is served no more safely than Feishu's own.
 */
function fileNameOf(encoded: string | undefined, key: string): { fileName?: string } {
  if (!encoded) return {};
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return {};
  }
  const fileName = nameWithoutSecret(decoded, key);
  return fileName === undefined ? {} : { fileName };
}

/** A HEAD's 404 (no body: the SDK names it NotFound), or a tag lookup on an object just deleted. */
function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey');
}
