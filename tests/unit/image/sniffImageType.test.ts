import { sniffImageType, type Sniffed } from '../../../lib/image/sniffImageType';
import { AVIF, BMP, GIF, HEIC, ICO, JPEG, PNG, SVG, TIFF_BE, TIFF_LE, WEBP } from '../helpers/images';

function typeOf(sniffed: Sniffed): string | undefined {
  return sniffed.kind === 'image' ? sniffed.type.contentType : undefined;
}

describe('Function: sniffImageType', () => {
  it.each([
    ['PNG', PNG, 'image/png'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['GIF89a', GIF, 'image/gif'],
    ['GIF87a', Buffer.from('GIF87a\x01\x00\x01\x00', 'latin1'), 'image/gif'],
    ['WebP', WEBP, 'image/webp'],
    ['BMP', BMP, 'image/bmp'],
    ['little-endian TIFF', TIFF_LE, 'image/tiff'],
    ['big-endian TIFF', TIFF_BE, 'image/tiff'],
    ['ICO', ICO, 'image/x-icon'],
    ['AVIF', AVIF, 'image/avif'],
    ['HEIC', HEIC, 'image/heic'],
    ['SVG', SVG, 'image/svg+xml'],
  ])('recognises %s by its first bytes', (_, head, contentType) => {
    // Act
    const sniffed = sniffImageType(head);

    // Assess
    expect(sniffed.kind).toBe('image');
    expect(typeOf(sniffed)).toBe(contentType);
  });

  it.each([
    [
      'an XML prolog',
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
    ['a comment', '<!-- Generator: Feishu Whiteboard -->\n<svg width="10" height="10"></svg>'],
    [
      'a doctype',
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' +
        '<svg version="1.1">',
    ],
    [
      'all three and a byte-order mark',
      '\uFEFF<?xml version="1.0"?>\r\n<!-- drawn -->\r\n<!DOCTYPE svg>\r\n  <SVG viewBox="0 0 1 1">',
    ],
    ['leading white space', '\n\n   <svg>'],
  ])('recognises SVG after %s', (_, text) => {
    // Act
    const sniffed = sniffImageType(Buffer.from(text, 'utf8'));

    // Assess
    expect(typeOf(sniffed)).toBe('image/svg+xml');
  });

  it.each([
    ['an empty body', Buffer.alloc(0), 'empty'],
    [
      'a Feishu JSON error',
      Buffer.from('{"code":234005,"msg":"image deleted","error":{"log_id":"2026112108154200"}}'),
      'json',
    ],
    ['a JSON array', Buffer.from('  [1, 2, 3]'), 'json'],
    [
      'an HTML page with a doctype',
      Buffer.from('<!DOCTYPE html>\n<html lang="zh-CN"><head><title>飞书</title></head>'),
      'html',
    ],
    ['an HTML page without a doctype', Buffer.from('<html>\r\n<head><title>502 Bad Gateway</title></head>'), 'html'],
    ['an HTML body fragment', Buffer.from('<body><h1>Forbidden</h1></body>'), 'html'],
    ['plain text', Buffer.from('404 page not found\n'), 'text'],
    ['XML that is not SVG', Buffer.from('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'), 'text'],
    ['random binary bytes', Buffer.from([0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x10]), 'unknown'],
  ])('tells %s apart from an image', (_, head, kind) => {
    // Act
    const sniffed = sniffImageType(head);

    // Assess
    expect(sniffed.kind).toBe(kind);
  });

  it.each([
    ['a bare "BM"', Buffer.from('BM')],
    ['a truncated ICO header', Buffer.from([0x00, 0x00, 0x01, 0x00, 0x01])],
    [
      '"RIFF" that is not WebP',
      Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.alloc(4), Buffer.from('WAVEfmt ', 'latin1')]),
    ],
    [
      'an ISO file of another brand',
      Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1'), Buffer.alloc(8)]),
    ],
    ['half a PNG signature', PNG.subarray(0, 4)],
  ])('does not take %s for an image', (_, head) => {
    // Act
    const sniffed = sniffImageType(head);

    // Assess
    expect(sniffed.kind).not.toBe('image');
  });
});
