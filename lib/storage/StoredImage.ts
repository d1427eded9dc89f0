/**
 * The user metadata each stored image carries (S3 lower-cases the names). A large image's
 * sha256, known only once it is stored, is its tag of the same name instead.
 */
export const METADATA = {
  sha256: 'sha256',
  fetchedAt: 'fetched-at',
  logId: 'feishu-log-id',
  /** The file's name as Feishu gave it, made safe, percent-encoded: metadata is ASCII only. */
  fileName: 'file-name',
} as const;

/** An image as it is in the bucket. */
export interface StoredImage {
  bucket: string;
  key: string;
  contentType: string;
  size: number;
  sha256: string;
  fetchedAt: string;
  logId?: string;
  /** The file's name (without extension) as Feishu gave it, made safe; undefined when it gave none. */
  fileName?: string;
}
