import { IMAGE_TYPES, type ImageType } from './imageTypes';

/** What the first bytes of a body are. */
export type Sniffed = { kind: 'image'; type: ImageType } | { kind: 'empty' | 'json' | 'html' | 'text' | 'unknown' };

/** Enough of a body to tell every format apart, SVG's preamble included. */
export const SNIFF_BYTES = 4096;

/**
 * Tells an image from what a misbehaving server sends instead (JSON, an HTML page, text,
 * nothing) by its first bytes.
 *
 * @example
 * sniffImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) // { kind: 'image', type: png }
 */
export function sniffImageType(head: Buffer): Sniffed {
  if (head.length === 0) return { kind: 'empty' };
  const type = IMAGE_TYPES.find((candidate) => candidate.matches(head));
  if (type) return { kind: 'image', type };
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return { kind: 'json' };
  if (/^<(!doctype html|html|head|body)[\s>]/i.test(text)) return { kind: 'html' };
  if (isText(head.subarray(0, 512))) return { kind: 'text' };
  return { kind: 'unknown' };
}

/** Valid UTF-8 without control characters (an error page in any language), unlike image bytes. */
function isText(sample: Buffer): boolean {
  // A multi-byte character cut at the end of the sample is still text.
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(sample).replace(/\uFFFD{1,3}$/, '');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what tells image bytes from text
  return !decoded.includes('\uFFFD') && !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(decoded);
}
