import { MirrorError } from '../errors/MirrorError';
import type { ImageBodyError } from '../image/ImageBodyError';

/**
 * The product's error for an image body from Feishu that could not be read to its end: the
 * one place where the image layer's failures meet the error table.
 *
 * @example
 * // UPSTREAM_ERROR "…: the connection to Feishu broke after 3000 bytes"
 * throw bodyFailure(error, 'im image img_v3_01', logId);
 */
export function bodyFailure(error: ImageBodyError, subject: string, logId?: string): MirrorError {
  const details = { cause: error, logId };
  switch (error.problem) {
    case 'late':
      return new MirrorError(
        'UPSTREAM_TIMEOUT',
        `${subject}: Feishu did not finish sending the image in the time the invocation had left`,
        details,
      );
    case 'broken':
      return new MirrorError(
        'UPSTREAM_ERROR',
        `${subject}: the connection to Feishu broke after ${error.bytesRead} bytes`,
        details,
      );
    case 'short':
      return new MirrorError(
        'UPSTREAM_ERROR',
        `${subject}: Feishu sent ${error.bytesRead} of the ${error.expectedLength} bytes it announced`,
        details,
      );
    case 'tooLarge':
      return new MirrorError(
        'PAYLOAD_TOO_LARGE',
        `${subject}: the image is larger than MAX_IMAGE_BYTES (${error.maxBytes} bytes)`,
        details,
      );
  }
}
