import { chooseContentType } from '../../../lib/image/chooseContentType';
import { sniffImageType } from '../../../lib/image/sniffImageType';
import { JPEG, PNG, SVG } from '../helpers/images';

const UNKNOWN_BYTES = Buffer.from([0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x00]);

describe('Function: chooseContentType', () => {
  it("keeps Feishu's image type when it names one", () => {
    // Act
    const contentType = chooseContentType('image/png', sniffImageType(PNG));

    // Assess
    expect(contentType).toBe('image/png');
  });

  it("prefers Feishu's image type over a different sniffed one", () => {
    // Act
    const contentType = chooseContentType('image/jpeg', sniffImageType(PNG));

    // Assess
    expect(contentType).toBe('image/jpeg');
  });

  it.each([
    ['missing', undefined, PNG, 'image/png'],
    ['application/octet-stream', 'application/octet-stream', JPEG, 'image/jpeg'],
    ['binary/octet-stream', 'binary/octet-stream', PNG, 'image/png'],
    ['text/plain (for an SVG)', 'text/plain', SVG, 'image/svg+xml'],
    ['text/xml (for an SVG)', 'text/xml', SVG, 'image/svg+xml'],
  ])("falls back to the sniffed type when Feishu's is %s", (_, declared, head, expected) => {
    // Act
    const contentType = chooseContentType(declared, sniffImageType(head));

    // Assess
    expect(contentType).toBe(expected);
  });

  it("trusts Feishu's image type for bytes it cannot recognise (a format it does not know)", () => {
    // Act
    const contentType = chooseContentType('image/jxl', sniffImageType(UNKNOWN_BYTES));

    // Assess
    expect(contentType).toBe('image/jxl');
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
    const contentType = chooseContentType(declared, sniffImageType(head));

    // Assess
    expect(contentType).toBeUndefined();
  });
});
