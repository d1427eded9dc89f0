import type { Sniffed } from './sniffImageType';

/**
 * The Content-Type to store: Feishu's when it names an image type, else the one sniffed from
 * the first bytes; undefined when the body is not an image at all (JSON, HTML, text, empty,
 * or unrecognisable bytes under a generic type), which must never be stored.
 */
export function chooseContentType(declared: string | undefined, sniffed: Sniffed): string | undefined {
  if (sniffed.kind === 'image') return declared?.startsWith('image/') ? declared : sniffed.type.contentType;
  if (sniffed.kind === 'unknown' && declared?.startsWith('image/')) return declared;
  return undefined;
}
