import fc from 'fast-check';
import { messageImages } from '../../lib/receiver/messageImages';

const RUNS = 300;
const KEY = /^[A-Za-z0-9_-]{1,256}$/;

/** Every `image_key` of an `img` element anywhere in a value, as a post's paragraphs hold them. */
function imgKeysIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(imgKeysIn);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = record.tag === 'img' && typeof record.image_key === 'string' ? [record.image_key] : [];
  return [...own, ...Object.values(record).flatMap(imgKeysIn)];
}

const imageKey = fc.stringMatching(/^img_v3_[0-9a-z_]{1,20}$/);
const element = fc.oneof(
  fc.record({ tag: fc.constant('text'), text: fc.string() }),
  fc.record({ tag: fc.constant('img'), image_key: imageKey }),
  fc.record({ tag: fc.constant('media'), file_key: fc.string(), image_key: imageKey }),
  fc.record({ tag: fc.constant('a'), href: fc.webUrl(), text: fc.string() }),
  fc.record({ tag: fc.constant('at'), user_id: fc.string() }),
);
const paragraphs = fc.array(fc.array(element, { maxLength: 6 }), { maxLength: 6 });
const post = fc.oneof(
  fc.record({ title: fc.string(), content: paragraphs }),
  fc.dictionary(fc.constantFrom('zh_cn', 'en_us', 'ja_jp'), fc.record({ title: fc.string(), content: paragraphs })),
);

describe('The content parser of chat messages (messageImages)', () => {
  it('never throws on any message, and answers only well-formed keys, each once, each from an img element', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            message_id: fc.oneof(fc.constant('om_1a2b'), fc.string(), fc.jsonValue()),
            chat_id: fc.oneof(fc.constant('oc_1'), fc.jsonValue()),
            message_type: fc.oneof(
              fc.constantFrom('image', 'post', 'sticker', 'merge_forward', 'text'),
              fc.jsonValue(),
            ),
            content: fc.oneof(
              fc.json(),
              fc.jsonValue(),
              fc.string(),
              post.map((value) => JSON.stringify(value)),
            ),
          },
          { requiredKeys: [] },
        ),
        (message) => {
          // Act
          const found = messageImages({ message });

          // Assess
          if (found === undefined || 'skipped' in found) return;
          const content = JSON.parse(message.content as string) as unknown;
          const allowed =
            message.message_type === 'image' ? [(content as { image_key: string }).image_key] : imgKeysIn(content);
          expect(new Set(found.imageKeys).size).toBe(found.imageKeys.length);
          for (const key of found.imageKeys) {
            expect(key).toMatch(KEY);
            expect(allowed).toContain(key);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("finds every img element's key of a post, plain or wrapped in locales, and none of its videos' covers", () => {
    fc.assert(
      fc.property(post, (content) => {
        // Prepare
        const expected = [...new Set(imgKeysIn(content))];

        // Act
        const found = messageImages({
          message: { message_id: 'om_1a2b', chat_id: 'oc_1', message_type: 'post', content: JSON.stringify(content) },
        });

        // Assess
        if (expected.length === 0) expect(found).toMatchObject({ skipped: expect.any(String) });
        else expect(found).toEqual({ messageId: 'om_1a2b', chatId: 'oc_1', imageKeys: expected });
      }),
      { numRuns: RUNS },
    );
  });
});
