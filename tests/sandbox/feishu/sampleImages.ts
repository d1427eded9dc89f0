import { createHash } from 'node:crypto';
import { encodePng } from './encodePng';

/** An image the sandbox serves: its bytes and its `Content-Type`. */
export interface SampleImage {
  bytes: Buffer;
  contentType: string;
}

/** Width and height of the PNGs served for ordinary ids. */
export const pngSize = { width: 64, height: 48 } as const;

/**
 * A 16×16 baseline JPEG (JFIF 1.01, 3 components, optimised Huffman tables), a red/green
 * gradient made with libjpeg-turbo's `cjpeg -baseline -quality 80 -optimize` and decoded back
 * with `djpeg` before it was pasted here.
 */
const jpegBase64 =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8t' +
  'MC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAAR' +
  'CAAQABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABgf/xAAaEAABBQEAAAAAAAAAAAAAAAAABQYiMqEx/8QAFQEBAQAAAAAAAAAA' +
  'AAAAAAAAAQP/xAAaEQACAgMAAAAAAAAAAAAAAAAABgQhBTEy/9oADAMBAAIRAxEAPwCVJLdrDBmkt3kMGKS3awwZpLdrDCs7ObsFVj5s/9k=';

/** A 1×1 GIF89a with a two-colour palette, pixel 0 transparent. */
const gifBase64 = 'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==';

/**
 * A 2×2 lossless WebP (VP8L: red, green, blue, white) made with libwebp's `cwebp -lossless`
 * and decoded back with `dwebp` before it was pasted here.
 */
const webpBase64 = 'UklGRiwAAABXRUJQVlA4TB8AAAAvAUAAAB8gEEjeHzqN+RcQFPwf3fxHZA/gBgwR/Q8BAA==';

const svgText =
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48" viewBox="0 0 64 48">' +
  '<rect width="64" height="48" fill="#3370ff"/><circle cx="32" cy="24" r="12" fill="#ffffff"/></svg>';

/** The fixed samples served for ids that name a type other than PNG. */
export const sampleImages = {
  jpeg: { bytes: Buffer.from(jpegBase64, 'base64'), contentType: 'image/jpeg' },
  gif: { bytes: Buffer.from(gifBase64, 'base64'), contentType: 'image/gif' },
  svg: { bytes: Buffer.from(svgText, 'utf8'), contentType: 'image/svg+xml' },
  webp: { bytes: Buffer.from(webpBase64, 'base64'), contentType: 'image/webp' },
} as const satisfies Record<string, SampleImage>;

/**
 * A 64×48 PNG gradient whose colours come from a hash of the id, so different ids give
 * different bytes and the same id always gives the same bytes.
 *
 * @example
 * pngForId('img_v3_abc').subarray(0, 8); // the PNG signature
 */
export function pngForId(id: string): Buffer {
  const seed = createHash('sha256').update(id).digest();
  const [r0 = 0, g0 = 0, b0 = 0, rStep = 0, gStep = 0] = seed;
  const { width, height } = pngSize;
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      rgb[i] = (r0 + x * ((rStep % 7) + 1)) & 0xff;
      rgb[i + 1] = (g0 + y * ((gStep % 7) + 1)) & 0xff;
      rgb[i + 2] = (b0 + x + y) & 0xff;
    }
  }
  return encodePng(width, height, rgb);
}
