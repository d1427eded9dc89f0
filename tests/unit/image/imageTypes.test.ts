import { extensionFor, IMAGE_TYPES, knownImageType } from '../../../lib/image/imageTypes';

describe('Function: extensionFor', () => {
  it.each([
    ['image/png', 'png'],
    ['image/jpeg', 'jpg'],
    ['image/gif', 'gif'],
    ['image/webp', 'webp'],
    ['image/bmp', 'bmp'],
    ['image/tiff', 'tiff'],
    ['image/x-icon', 'ico'],
    ['image/avif', 'avif'],
    ['image/heic', 'heic'],
    ['image/svg+xml', 'svg'],
  ])('gives %s the extension %s', (contentType, extension) => {
    // Act
    const found = extensionFor(contentType);

    // Assess
    expect(found).toBe(extension);
  });

  it.each([
    ['image/png.html', 'a subtype that would end the file name in .html'],
    ['image/jxl', 'a format the table does not hold'],
    ['image/jpg', 'an unregistered spelling'],
    ['application/octet-stream', 'no image type'],
    ['image/', 'no subtype'],
    ['image/png; charset=binary', 'a header, not a bare media type'],
  ])('gives %s, outside the table, the extension bin (%s)', (contentType) => {
    // Act
    const found = extensionFor(contentType);

    // Assess
    expect(found).toBe('bin');
  });

  it('has one entry per content type in the list of known formats', () => {
    // Act
    const types = IMAGE_TYPES.map((type) => type.contentType);

    // Assess
    expect(new Set(types).size).toBe(types.length);
  });
});

describe('Function: knownImageType', () => {
  it('finds the entry of a type in the table', () => {
    // Act
    const type = knownImageType('image/webp');

    // Assess
    expect(type).toMatchObject({ contentType: 'image/webp', extension: 'webp' });
  });

  it.each(['image/png.html', 'IMAGE/PNG', 'image/jxl', undefined])('finds none for %s', (contentType) => {
    // Act
    const type = knownImageType(contentType);

    // Assess
    expect(type).toBeUndefined();
  });
});
