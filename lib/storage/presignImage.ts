import type { S3Client } from '@aws-sdk/client-s3';
import contentDisposition from 'content-disposition';
import { asciiFileName } from '../image/asciiFileName';
import { extensionFor } from '../image/imageTypes';
import { presignGet } from './presignGet';

/** What a presigned URL serves. */
export interface PresignOptions {
  bucket: string;
  key: string;
  contentType: string;
  /** The file's name without extension: Feishu's name for it, else the image's id. */
  filename: string;
  download: boolean;
  expiresInSeconds: number;
}

/**
 * A presigned GET URL for one object only, which serves it with its Content-Type and a
 * Content-Disposition (`inline` or `attachment`, its name plus the stored type's extension: in
 * `filename*` in UTF-8 with an ASCII `filename` beside it, or in `filename` alone when it is ASCII).
 * SVG is always an attachment: opened as a page it would run any script it holds, while an
 * `<img src>` still shows it (browsers ignore the disposition of the images they embed).
 * Signed locally by the SDK's presigner: no request is made.
 *
 * @example
 * const url = await presignImage(client, {
 *   bucket,
 *   key,
 *   contentType: 'image/png',
 *   filename: 'wb1',
 *   download: false,
 *   expiresInSeconds: 900,
 * });
 */
export async function presignImage(client: S3Client, options: PresignOptions): Promise<string> {
  const dispositionType = servedAsAttachment(options) ? 'attachment' : 'inline';
  const filename = `${options.filename}.${extensionFor(options.contentType)}`;
  // Any name, in any script, in UTF-8 in `filename*` (RFC 6266), and an ASCII `filename` for old
  // clients: the package's own fallback would keep Latin-1 letters raw in `filename`, without
  // `filename*`, and a header's bytes beyond ASCII are read differently by each client.
  const disposition = contentDisposition(filename, { type: dispositionType, fallback: asciiFileName(filename) });
  return presignGet(
    client,
    {
      Bucket: options.bucket,
      Key: options.key,
      ResponseContentType: options.contentType,
      ResponseContentDisposition: disposition,
    },
    options.expiresInSeconds,
  );
}

/** The one image type that can carry script. */
const SCRIPTABLE_TYPES: ReadonlySet<string> = new Set(['image/svg+xml']);

function servedAsAttachment(options: PresignOptions): boolean {
  return options.download || SCRIPTABLE_TYPES.has(options.contentType);
}
