import { knownImageType } from './imageTypes';
import type { Sniffed } from './sniffImageType';

/**
 * The Content-Type to store, always one of the known image types (`IMAGE_TYPES`), whatever
 * Feishu declares (`declared`: its header as a bare, lower-case media type):
 * - bytes recognised as an image: their own type. Feishu's is kept only when it is a known type
 *   the bytes also match, so it can choose among the types the bytes fit (none overlap today)
 *   but never contradict the bytes, which are what a browser decodes: PNG bytes declared
 *   `image/jpeg` or `image/png.html` are stored as `image/png`;
 * - bytes not recognised: Feishu's type when it is a known one (a body the sniffing cannot
 *   place, served under a type whose handling and extension are known), else none;
 * - JSON, HTML, text or nothing: none, whatever the type says.
 * Undefined means the body is not stored.
 *
 * @example
 * chooseContentType('image/png.html', sniffImageType(head), head); // 'image/png' for PNG bytes
 */
export function chooseContentType(declared: string | undefined, sniffed: Sniffed, head: Buffer): string | undefined {
  const declaredType = knownImageType(declared);
  if (sniffed.kind === 'image') return (declaredType?.matches(head) ? declaredType : sniffed.type).contentType;
  if (sniffed.kind === 'unknown') return declaredType?.contentType;
  return undefined;
}
