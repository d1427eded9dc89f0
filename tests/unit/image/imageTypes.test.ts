import { extensionFor, IMAGE_TYPES } from '../../../lib/image/imageTypes';

describe('Function: extensionFor', () => {
  it.each([
    ['image/png', 'png'],
    ['image/jpeg', 'jpg'],
    ['image/jpg', 'jpg'],
    ['image/gif', 'gif'],
    ['image/webp', 'webp'],
    ['image/bmp', 'bmp'],
    ['image/tiff', 'tiff'],
    ['image/x-icon', 'ico'],
    ['image/avif', 'avif'],
    ['image/heic', 'heic'],
    ['image/svg+xml', 'svg'],
    ['image/jxl', 'jxl'],
    ['application/octet-stream', 'bin'],
    ['image/', 'bin'],
    ['image/png; charset=binary', 'bin'],
  ])('gives %s the extension %s', (contentType, extension) => {
    // Act
    const found = extensionFor(contentType);

    // Assess
    expect(found).toBe(extension);
  });

  it('has one entry per content type in the list of known formats', () => {
    // Act
    const types = IMAGE_TYPES.map((type) => type.contentType);

    // Assess
    expect(new Set(types).size).toBe(types.length);
  });
});
