import { logger } from '../runtime/logger';
import { holdsSecret } from '../runtime/redact';

/** The longest name kept, in characters: enough for any real file name, short enough for S3 metadata. */
export const MAX_FILE_NAME_CHARS = 120;

/**
 * The name Feishu gave a file, made safe to serve as a download's name: the last path segment
 * only (no `/` or `\`), no control or format characters (which include the bidirectional
 * overrides that disguise an extension), no quotes, no leading dots, and no extension: the
 * stored type's own is added when the URL is made, so the name never claims another type.
 * Undefined when nothing usable is left, or when the name holds a secret (`nameWithoutSecret`);
 * `image` names the image in that log line.
 *
 * @example
 * safeFileName('架构图 v2.png', 'document media boxcn1'); // '架构图 v2'
 * safeFileName('../../etc/passwd', 'document media boxcn1'); // 'passwd'
 */
export function safeFileName(raw: string, image: string): string | undefined {
  const lastSegment = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = replaceReserved(lastSegment, '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const withoutExtension = cleaned.replace(/\.[^.]{0,16}$/u, '').replace(/^[.\s]+|[.\s]+$/gu, '');
  const name = [...withoutExtension].slice(0, MAX_FILE_NAME_CHARS).join('').trim();
  return name === '' ? undefined : nameWithoutSecret(name, image, raw);
}

/**
 * A file's name, unless it or the text it was made from (`madeFrom`) holds a known secret or a
 * token's shape (`holdsSecret`), as when Feishu echoes what it was sent: such a name would carry
 * the token into the answer, the URL and the object's metadata, so it is dropped, as log ids
 * holding secrets are, and the id names the file. The drop is logged once, naming the image,
 * never the name. Both texts are checked: a token anywhere in what Feishu sent means the name
 * echoes a request, and cleaning may join a token's parts (removing a format character).
 *
 * @example
 * nameWithoutSecret('t-g1044q7TSTLuBtCqBnQeRm3E7zUSkSWd', 'document media boxcn1'); // undefined
 */
export function nameWithoutSecret(name: string, image: string, madeFrom = name): string | undefined {
  if (!holdsSecret(name) && !holdsSecret(madeFrom)) return name;
  logger.warn('file name dropped', { image, reason: 'it holds a secret or a token' });
  return undefined;
}

/**
 * `text` with each character that no served name holds replaced by `by`: the path separators,
 * the quote that ends a quoted `filename`, and the others Windows refuses in a file's name.
 *
 * @example
 * replaceReserved('a/b:c', '_'); // 'a_b_c'
 */
export function replaceReserved(text: string, by: string): string {
  return text.replace(/[/\\"*:<>?|]/g, by);
}
