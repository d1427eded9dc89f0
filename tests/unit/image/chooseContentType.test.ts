import { chooseContentType } from '../../../lib/image/chooseContentType';
import { sniffImageType } from '../../../lib/image/sniffImageType';
import { JPEG, PNG, SVG } from '../helpers/images';

const UNKNOWN_BYTES = Buffer.from([0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x00]);

/** The type stored for a body whose first bytes are `head`, under Feishu's declared type. */
const choose = (declared: string | undefined, head: Buffer) => chooseContentType(declared, sniffImageType(head), head);

describe('Function: chooseContentType', () => {
  it("keeps Feishu's image type when the bytes are of that type", () => {
    // Act
    const contentType = choose('image/png', PNG);

    // Assess
    expect(contentType).toBe('image/png');
  });

  it('stores the type of the bytes when Feishu declares another known image type', () => {
    // Act
    const contentType = choose('image/jpeg', PNG);

    // Assess
    expect(contentType).toBe('image/png');
  });

  it.each([
    ['image/png.html', PNG, 'image/png'],
    ['image/svg+xml.html', SVG, 'image/svg+xml'],
    ['image/jpg', JPEG, 'image/jpeg'],
    ['image/x-png', PNG, 'image/png'],
  ])('stores the type of the bytes when Feishu declares %s, no known image type', (declared, head, expected) => {
    // Act
    const contentType = choose(declared, head);

    // Assess
    expect(contentType).toBe(expected);
  });

  it.each([
    ['missing', undefined, PNG, 'image/png'],
    ['application/octet-stream', 'application/octet-stream', JPEG, 'image/jpeg'],
    ['binary/octet-stream', 'binary/octet-stream', PNG, 'image/png'],
    ['text/plain (for an SVG)', 'text/plain', SVG, 'image/svg+xml'],
    ['text/xml (for an SVG)', 'text/xml', SVG, 'image/svg+xml'],
  ])("falls back to the sniffed type when Feishu's is %s", (_, declared, head, expected) => {
    // Act
    const contentType = choose(declared, head);

    // Assess
    expect(contentType).toBe(expected);
  });

  it("keeps Feishu's type for bytes it cannot recognise when it is a known image type", () => {
    // Act
    const contentType = choose('image/webp', UNKNOWN_BYTES);

    // Assess
    expect(contentType).toBe('image/webp');
  });

  it.each([
    ['image/jxl', 'a format the product does not know'],
    ['image/png.html', 'a subtype that would end the file name in .html'],
    ['image/jpg', 'an unregistered spelling'],
  ])('answers undefined (not stored) for bytes it cannot recognise under %s (%s)', (declared) => {
    // Act
    const contentType = choose(declared, UNKNOWN_BYTES);

    // Assess
    expect(contentType).toBeUndefined();
  });

  it.each([
    ['JSON under image/png', 'image/png', Buffer.from('{"code":234005,"msg":"image deleted"}')],
    ['an HTML page under image/jpeg', 'image/jpeg', Buffer.from('<!DOCTYPE html><html><body>busy</body></html>')],
    ['text under image/png', 'image/png', Buffer.from('Service Unavailable')],
    ['an empty body under image/png', 'image/png', Buffer.alloc(0)],
    ['JSON under application/json', 'application/json', Buffer.from('{"code":0}')],
    ['unknown bytes under a generic type', 'application/octet-stream', UNKNOWN_BYTES],
    ['unknown bytes without a type', undefined, UNKNOWN_BYTES],
  ])('answers undefined (not an image) for %s', (_, declared, head) => {
    // Act
    const contentType = choose(declared, head);

    // Assess
    expect(contentType).toBeUndefined();
  });
});
