/** The images of one chat message, or why it has none to mirror. */
export type MessageImages =
  | { messageId: string; chatId: string; imageKeys: string[] }
  | { messageId: string; chatId: string; skipped: string };

// As strict as an id in a request to messageImage, which would refuse any other.
const KEY_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The image keys of an `im.message.receive_v1` event's message, in order and each once: an
 * `image` message's `image_key`, and every `img` element's of a `post` (paragraphs of elements,
 * under `content`, or the same wrapped in locale keys such as `zh_cn`). `content` is a JSON
 * string. Stickers cannot be downloaded and merged-forward messages' children answer an error,
 * so those, messages of other types, and posts without an image are skipped with the reason.
 * Undefined when the event holds no message with an id.
 *
 * @example
 * messageImages({ message: { message_id: 'om_1', chat_id: 'oc_1', message_type: 'image',
 *   content: '{"image_key":"img_v3_1"}' } }); // { messageId: 'om_1', chatId: 'oc_1', imageKeys: ['img_v3_1'] }
 */
export function messageImages(event: Readonly<Record<string, unknown>>): MessageImages | undefined {
  const message = event.message;
  if (typeof message !== 'object' || message === null) return undefined;
  const fields = message as Record<string, unknown>;
  const messageId = fields.message_id;
  if (typeof messageId !== 'string' || !KEY_PATTERN.test(messageId)) return undefined;
  const chatId = typeof fields.chat_id === 'string' ? fields.chat_id : '';
  const type = fields.message_type;
  const content = parseContent(fields.content);
  let keys: string[];
  if (type === 'image') keys = content === undefined ? [] : [content.image_key].filter(isString);
  else if (type === 'post') keys = content === undefined ? [] : postImageKeys(content);
  else return { messageId, chatId, skipped: `a ${String(type)} message holds no image to mirror` };
  const imageKeys = [...new Set(keys)].filter((key) => KEY_PATTERN.test(key));
  if (imageKeys.length === 0) return { messageId, chatId, skipped: `the ${type} message holds no image key` };
  return { messageId, chatId, imageKeys };
}

function parseContent(content: unknown): Record<string, unknown> | undefined {
  if (typeof content !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(content);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Every `img` element's key: of the post itself, or of each locale it is wrapped in. */
function postImageKeys(post: Record<string, unknown>): string[] {
  if (Array.isArray(post.content)) return paragraphImageKeys(post.content);
  return Object.values(post).flatMap((locale) =>
    isRecord(locale) && Array.isArray(locale.content) ? paragraphImageKeys(locale.content) : [],
  );
}

function paragraphImageKeys(paragraphs: unknown[]): string[] {
  return paragraphs
    .flatMap((paragraph) =>
      Array.isArray(paragraph)
        ? paragraph.flatMap((element) => (isRecord(element) && element.tag === 'img' ? [element.image_key] : []))
        : [],
    )
    .filter(isString);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
