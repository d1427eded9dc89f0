import { MAX_FILE_NAME_CHARS, safeFileName } from '../../../lib/image/safeFileName';

describe('Function: safeFileName', () => {
  it('keeps a plain name without its extension', () => {
    // Act
    const name = safeFileName('architecture diagram.png');

    // Assess
    expect(name).toBe('architecture diagram');
  });

  it('keeps the letters of any script', () => {
    // Act
    const name = safeFileName('架构图 v2.png');

    // Assess
    expect(name).toBe('架构图 v2');
  });

  it('keeps only the last segment of a name that holds a path', () => {
    // Act
    const names = [safeFileName('../../etc/passwd.png'), safeFileName('C:\\Users\\me\\shot.jpg')];

    // Assess
    expect(names).toEqual(['passwd', 'shot']);
  });

  it('drops control characters, quotes and the bidirectional overrides that disguise an extension', () => {
    // Act
    const name = safeFileName('invoice\u202Egnp.exe\r\n"x".png');

    // Assess
    expect(name).toBe('invoicegnp.exex');
  });

  it('drops leading dots, so the name never makes a hidden file', () => {
    // Act
    const name = safeFileName('...bashrc.png');

    // Assess
    expect(name).toBe('bashrc');
  });

  it(`cuts a long name to ${MAX_FILE_NAME_CHARS} characters`, () => {
    // Act
    const name = safeFileName(`${'图'.repeat(400)}.png`);

    // Assess
    expect(name).toBe('图'.repeat(MAX_FILE_NAME_CHARS));
  });

  it('answers undefined when nothing usable is left', () => {
    // Act
    const names = [safeFileName(''), safeFileName('../'), safeFileName('.png'), safeFileName('\u0000\u0001')];

    // Assess
    expect(names).toEqual([undefined, undefined, undefined, undefined]);
  });
});
