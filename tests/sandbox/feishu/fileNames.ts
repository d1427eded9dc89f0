/**
 * The `Content-Disposition` of document media, decided by the file token so that tests can ask
 * for hostile file names. The first entry whose word the token contains wins; a token containing
 * none gets `attachment; filename="<fileToken>.<extension of the served type>"`. A token containing
 * `echotoken` gets the request's own access token as its name, as a server that puts what it was
 * sent into its answer would.
 *
 * A header cannot carry raw control characters, so those arrive percent-encoded in `filename*`
 * (RFC 8187), as a hostile server would send them; quotes and backslashes arrive as quoted pairs.
 */

/** One file name the media endpoint can send, with the name a client reading the header right gets. */
export interface MediaFileName {
  /** The word in the file token that asks for this header. */
  contains: string;
  /** The header sent; undefined: no Content-Disposition at all. */
  header: string | undefined;
  /** The file name the header means (`filename*` where present, else `filename`). */
  name: string | undefined;
}

const longName = `${'A'.repeat(300)}.png`;

/** Every named variant, in the order the tokens are matched. */
export const mediaFileNames: readonly MediaFileName[] = [
  { contains: 'noname', header: undefined, name: undefined },
  {
    contains: 'unicode',
    // The ASCII fallback keeps only the part of the name that is ASCII already.
    header: `attachment; filename="v2.png"; filename*=UTF-8''%E6%9E%B6%E6%9E%84%E5%9B%BE%20v2.png`,
    name: '架构图 v2.png',
  },
  {
    contains: 'latin1',
    header: `attachment; filename="Caf rsum.png"; filename*=UTF-8''Caf%C3%A9%20r%C3%A9sum%C3%A9.png`,
    name: 'Café résumé.png',
  },
  { contains: 'hostilepath', header: 'attachment; filename="../../etc/passwd.png"', name: '../../etc/passwd.png' },
  {
    contains: 'hostilebackslash',
    header: 'attachment; filename="..\\\\..\\\\Windows\\\\win.ini.png"',
    name: '..\\..\\Windows\\win.ini.png',
  },
  {
    contains: 'hostilequote',
    // A parser that splits on `;` without honouring the quoted pair reads a second filename.
    header: 'attachment; filename="a.png\\"; filename=\\"evil.html"',
    name: 'a.png"; filename="evil.html',
  },
  {
    contains: 'hostilecontrol',
    header: `attachment; filename="evil.png"; filename*=UTF-8''evil%00.html%0D%0AX-Injected%3A%201.png`,
    name: 'evil\u0000.html\r\nX-Injected: 1.png',
  },
  { contains: 'hostilelong', header: `attachment; filename="${longName}"`, name: longName },
  {
    contains: 'hostile',
    header: `attachment; filename="..\\\\..\\\\\\"x\\".png"; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd%00.png`,
    name: '../../etc/passwd\u0000.png',
  },
];

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
  'image/webp': 'webp',
  'application/json': 'json',
  'text/html': 'html',
};

/** The word in a file token that asks for a name echoing the request's access token. */
export const echoTokenWord = 'echotoken';

/**
 * The Content-Disposition of a media answer, or undefined for none; `accessToken` is the
 * request's, for the names that echo it.
 *
 * @example
 * contentDispositionOf('boxcn1', 'image/jpeg'); // 'attachment; filename="boxcn1.jpg"'
 * contentDispositionOf('boxcn_echotoken_1', 'image/png', 't-0a1b'); // 'attachment; filename="t-0a1b.png"'
 */
export function contentDispositionOf(
  fileToken: string,
  contentType: string | undefined,
  accessToken = '',
): string | undefined {
  if (fileToken.includes(echoTokenWord)) return `attachment; filename="${accessToken.replace(/["\\]/g, '\\$&')}.png"`;
  const named = mediaFileNames.find((entry) => fileToken.includes(entry.contains));
  if (named !== undefined) return named.header;
  const extension = (contentType === undefined ? undefined : extensions[contentType]) ?? 'bin';
  return `attachment; filename="${fileToken}.${extension}"`;
}
