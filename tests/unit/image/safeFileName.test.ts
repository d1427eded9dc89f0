import { MAX_FILE_NAME_CHARS, nameWithoutSecret, safeFileName } from '../../../lib/image/safeFileName';
import { logger } from '../../../lib/runtime/logger';
import { rememberSecret } from '../../../lib/runtime/redact';

const IMAGE = 'document media boxcnrHpsg1QDqXAAAyachabcef';
const TENANT_TOKEN = 't-g1044q7TSTLuBtCqBnQeRm3E7zUSkSWd';

describe('Function: safeFileName', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps a plain name without its extension', () => {
    // Act
    const name = safeFileName('architecture diagram.png', IMAGE);

    // Assess
    expect(name).toBe('architecture diagram');
  });

  it('keeps the letters of any script', () => {
    // Act
    const name = safeFileName('架构图 v2.png', IMAGE);

    // Assess
    expect(name).toBe('架构图 v2');
  });

  it('keeps only the last segment of a name that holds a path', () => {
    // Act
    const names = [safeFileName('../../etc/passwd.png', IMAGE), safeFileName('C:\\Users\\me\\shot.jpg', IMAGE)];

    // Assess
    expect(names).toEqual(['passwd', 'shot']);
  });

  it('drops control characters, quotes and the bidirectional overrides that disguise an extension', () => {
    // Act
    const name = safeFileName('invoice\u202Egnp.exe\r\n"x".png', IMAGE);

    // Assess
    expect(name).toBe('invoicegnp.exex');
  });

  it('drops leading dots, so the name never makes a hidden file', () => {
    // Act
    const name = safeFileName('...bashrc.png', IMAGE);

    // Assess
    expect(name).toBe('bashrc');
  });

  it(`cuts a long name to ${MAX_FILE_NAME_CHARS} characters`, () => {
    // Act
    const name = safeFileName(`${'图'.repeat(400)}.png`, IMAGE);

    // Assess
    expect(name).toBe('图'.repeat(MAX_FILE_NAME_CHARS));
  });

  it('answers undefined when nothing usable is left', () => {
    // Act
    const names = [
      safeFileName('', IMAGE),
      safeFileName('../', IMAGE),
      safeFileName('.png', IMAGE),
      safeFileName('\u0000\u0001', IMAGE),
    ];

    // Assess
    expect(names).toEqual([undefined, undefined, undefined, undefined]);
  });

  it.each([
    ["a token's shape", `${TENANT_TOKEN}.png`],
    ['a secret the function knows, of any shape', 'scan u-RT!abc.png'],
    ['a token that is whole only once a format character is removed', 't-g1044q7\u200BTSTLuBtCqBnQeRm3E7zUSkSWd.png'],
    ['a token in its path, though the path itself is never served', `${TENANT_TOKEN}/chart.png`],
    ["a harmless word of a token's shape, as the docs warn", 't-shirt-design-final.png'],
  ])('drops a name holding %s, so that the id names the file', (_, raw) => {
    // Prepare
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    rememberSecret('u-RT!abc');

    // Act
    const name = safeFileName(raw, IMAGE);

    // Assess
    expect(name).toBeUndefined();
  });

  it('logs a dropped name once, naming the image and never the name', () => {
    // Prepare
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    safeFileName(`${TENANT_TOKEN}.png`, IMAGE);

    // Assess
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('file name dropped', { image: IMAGE, reason: 'it holds a secret or a token' });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('t-g1044q7');
  });
});

describe('Function: nameWithoutSecret', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps a name that holds no secret', () => {
    // Act
    const name = nameWithoutSecret('架构图 v2', IMAGE);

    // Assess
    expect(name).toBe('架构图 v2');
  });

  it("drops a name holding a token's shape", () => {
    // Prepare
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const name = nameWithoutSecret(TENANT_TOKEN, 'feishu/drive-media/boxcnrHpsg1QDqXAAAyachabcef');

    // Assess
    expect(name).toBeUndefined();
  });
});
