/** The longest name kept, in characters: enough for any real file name, short enough for S3 metadata. */
export const MAX_FILE_NAME_CHARS = 120;

/**
 * The name Feishu gave a file, made safe to serve as a download's name: the last path segment
 * only (no `/` or `\`), no control or format characters (which include the bidirectional
 * overrides that disguise an extension), no quotes, no leading dots, and no extension: the
 * stored type's own is added when the URL is made, so the name never claims another type.
 * Undefined when nothing usable is left.
 *
 * @example
 * safeFileName('架构图 v2.png'); // '架构图 v2'
 * safeFileName('../../etc/passwd'); // 'passwd'
 */
export function safeFileName(raw: string): string | undefined {
  const lastSegment = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = replaceReserved(lastSegment, '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const withoutExtension = cleaned.replace(/\.[^.]{0,16}$/u, '').replace(/^[.\s]+|[.\s]+$/gu, '');
  const name = [...withoutExtension].slice(0, MAX_FILE_NAME_CHARS).join('').trim();
  return name === '' ? undefined : name;
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
