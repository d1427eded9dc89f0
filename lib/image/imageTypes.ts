/** An image format the product recognises, by its first bytes. */
export interface ImageType {
  contentType: string;
  extension: string;
  matches(head: Buffer): boolean;
}

const ascii = (head: Buffer, at: number, text: string): boolean =>
  head.length >= at + text.length && head.toString('latin1', at, at + text.length) === text;
const bytes = (head: Buffer, at: number, ...values: number[]): boolean =>
  head.length >= at + values.length && values.every((value, i) => head[at + i] === value);
const isoBrand = (head: Buffer, brands: string[]): boolean =>
  ascii(head, 4, 'ftyp') && brands.some((brand) => ascii(head, 8, brand));

/** The formats Feishu serves (png, jpeg, gif, svg for whiteboards) and the common others. */
export const IMAGE_TYPES: readonly ImageType[] = [
  {
    contentType: 'image/png',
    extension: 'png',
    matches: (h) => bytes(h, 0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
  },
  { contentType: 'image/jpeg', extension: 'jpg', matches: (h) => bytes(h, 0, 0xff, 0xd8, 0xff) },
  { contentType: 'image/gif', extension: 'gif', matches: (h) => ascii(h, 0, 'GIF87a') || ascii(h, 0, 'GIF89a') },
  { contentType: 'image/webp', extension: 'webp', matches: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WEBP') },
  { contentType: 'image/bmp', extension: 'bmp', matches: (h) => ascii(h, 0, 'BM') && h.length >= 26 },
  {
    contentType: 'image/tiff',
    extension: 'tiff',
    matches: (h) => bytes(h, 0, 0x49, 0x49, 0x2a, 0x00) || bytes(h, 0, 0x4d, 0x4d, 0x00, 0x2a),
  },
  {
    contentType: 'image/x-icon',
    extension: 'ico',
    matches: (h) => bytes(h, 0, 0x00, 0x00, 0x01, 0x00) && h.length >= 22,
  },
  { contentType: 'image/avif', extension: 'avif', matches: (h) => isoBrand(h, ['avif', 'avis']) },
  { contentType: 'image/heic', extension: 'heic', matches: (h) => isoBrand(h, ['heic', 'heix', 'mif1', 'msf1']) },
  { contentType: 'image/svg+xml', extension: 'svg', matches: (h) => isSvg(h) },
];

function isSvg(head: Buffer): boolean {
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!text.startsWith('<')) return false;
  // An XML prolog, comments or a doctype may precede the root element.
  const withoutPreamble = text.replace(/^(<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|\s+)*/i, '');
  return /^<svg[\s>]/i.test(withoutPreamble);
}

/**
 * The known image type of a bare, lower-case media type (as the `content-type` package parses
 * it), undefined for any other: the table above is the one list of types the product stores
 * and serves.
 *
 * @example
 * knownImageType('image/png')?.extension; // 'png'
 * knownImageType('image/png.html'); // undefined
 */
export function knownImageType(contentType: string | undefined): ImageType | undefined {
  return IMAGE_TYPES.find((type) => type.contentType === contentType);
}

/**
 * The file extension of a known image type, from the table only: `bin` for any other type,
 * which nothing stores, so that a type's text never becomes part of a file name.
 *
 * @example
 * extensionFor('image/svg+xml'); // 'svg'
 */
export function extensionFor(contentType: string): string {
  return knownImageType(contentType)?.extension ?? 'bin';
}
