/** The first bytes of real files of each format, enough for sniffing. */
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000100000001008060000001ff3ff61', 'hex'),
]);
export const JPEG = Buffer.from('ffd8ffe000104a46494600010101004800480000ffdb0043', 'hex');
export const GIF = Buffer.concat([
  Buffer.from('GIF89a', 'latin1'),
  Buffer.from('0100010080000000000000ffffff21f904', 'hex'),
]);
export const WEBP = Buffer.concat([
  Buffer.from('RIFF', 'latin1'),
  Buffer.from([0x24, 0x00, 0x00, 0x00]),
  Buffer.from('WEBPVP8 ', 'latin1'),
  Buffer.alloc(16),
]);
export const BMP = Buffer.concat([
  Buffer.from('BM', 'latin1'),
  Buffer.from('3e000000000000003e00000028000000010000000100000001000100', 'hex'),
]);
export const TIFF_LE = Buffer.from('49492a000800000010000001030001000000', 'hex');
export const TIFF_BE = Buffer.from('4d4d002a000000080010010000030000000100', 'hex');
export const ICO = Buffer.from('0000010001001010000001002000680400001600000028000000', 'hex');
export const AVIF = Buffer.concat([
  Buffer.from([0x00, 0x00, 0x00, 0x1c]),
  Buffer.from('ftypavif', 'latin1'),
  Buffer.alloc(4),
  Buffer.from('avifmif1miaf', 'latin1'),
]);
export const HEIC = Buffer.concat([
  Buffer.from([0x00, 0x00, 0x00, 0x18]),
  Buffer.from('ftypheic', 'latin1'),
  Buffer.alloc(4),
  Buffer.from('mif1heic', 'latin1'),
]);
export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80">' +
    '<rect width="120" height="80" fill="#3370ff"/></svg>',
);

/** A small but complete PNG body of `size` bytes (signature, then filler), for stores and hashes. */
export function pngBody(size: number): Buffer {
  const body = Buffer.alloc(size, 0x5a);
  PNG.copy(body, 0, 0, Math.min(PNG.length, size));
  return body;
}
