import { crc32, deflateSync } from 'node:zlib';

/** The eight bytes every PNG file starts with. */
export const pngSignature: Buffer = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  // The CRC covers the chunk type and data, not the length.
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * Encodes 8-bit RGB pixels (row by row, 3 bytes each) as a PNG file: signature, IHDR, IDAT, IEND.
 *
 * @example
 * const red = encodePng(1, 1, Buffer.from([255, 0, 0]));
 */
export function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  if (rgb.length !== width * height * 3)
    throw new Error(`expected ${width * height * 3} bytes of RGB, got ${rgb.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour (RGB)
  // Bytes 10–12 stay 0: deflate compression, adaptive filtering, no interlace.
  const rowLength = width * 3;
  const scanlines = Buffer.alloc(height * (rowLength + 1));
  for (let y = 0; y < height; y++) {
    // Each scanline starts with its filter type; 0 (None) keeps the encoder trivial.
    scanlines[y * (rowLength + 1)] = 0;
    rgb.copy(scanlines, y * (rowLength + 1) + 1, y * rowLength, (y + 1) * rowLength);
  }
  return Buffer.concat([
    pngSignature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
