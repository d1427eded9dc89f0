import type { ImageKind } from '../endpoints';

/** The answer of every function: where the image is and a URL to fetch it. */
export interface MirrorAnswer {
  kind: ImageKind;
  /** The ids, under the payload's names. */
  source: Record<string, string>;
  bucket: string;
  key: string;
  /** Presigned GET URL for this object only. */
  url: string;
  expiresAt: string;
  contentType: string;
  size: number;
  /** Hex sha256 of the stored bytes. */
  sha256: string;
  /** True when answered from S3 without calling Feishu. */
  cached: boolean;
  fetchedAt: string;
  /** The file's name as Feishu gave it (document media), made safe, without extension. */
  fileName?: string;
}
