import fc from 'fast-check';
import { recordFigures } from '../support/figures';
import { FUNCTIONS, payloadFor } from '../support/handlers';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';
import { EVENT_SHAPES, pathOf, type EventShape, type Fields } from './eventShapes';

const RUNS = 100;
const VALID_ID = 'img_v3_02ab_valid01';
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.split('');

const idChars = fc.stringOf(fc.constantFrom(...ID_CHARS), { maxLength: 20 });
/** Ids that climb out of their key or smuggle separators and NULs, raw or percent-encoded. */
const traversal = fc
  .tuple(
    idChars,
    fc.constantFrom('..', '../', '/', '%2F', '%2f', '%00', '\u0000', '..%2F', '%2E%2E', '\\', '.'),
    idChars,
  )
  .map(([a, bad, b]) => a + bad + b);
const overLong = fc.integer({ min: 257, max: 4096 }).map((length) => 'a'.repeat(length));
const nonAscii = fc
  .tuple(idChars, fc.constantFrom('é', '图片', '\u200b', '😀', '\u202e', 'ß', '\u00a0'), idChars)
  .map(([a, bad, b]) => a + bad + b);
const blank = fc.constantFrom('', ' ', '\t', 'img key');
/** Values that are no string at all: only a typed shape (a JSON payload) can carry them. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
  fc.double(),
);

const absurdExpiresIn = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 3601 }),
  fc.double({ noInteger: true, noNaN: true }).filter((n) => n > 1 && n < 3600),
  fc.constantFrom('1e3', '0x10', ' 60', '60s', '-5', '', 'NaN', 'Infinity', '99999999999999999999'),
);
const badBoolean = fc.oneof(fc.constantFrom('yes', 'no', 'TRUE', '2', '', 'on'), fc.integer({ min: 2 }));
/** Names no shape accepts as an option. */
const extraName = fc
  .oneof(
    fc.constantFrom('__proto__', 'constructor', 'bucket', 'key', 'Key', 'expires_in', 'refresh ', 'x'),
    fc.stringOf(fc.constantFrom(...'abcxyz_'.split('')), { minLength: 1, maxLength: 12 }),
  )
  .filter(
    (name) =>
      ![
        'refresh',
        'expiresIn',
        'download',
        'redirect',
        'userAccessToken',
        'whiteboardId',
        'fileToken',
        'faqId',
        'imageKey',
      ].includes(name),
  );

describe('Bad input, over every function and every event shape', () => {
  const env = useMirrorEnvironment({ countS3Commands: true });
  let tried = 0;
  afterAll(() => recordFigures('bad-input', { tried }));

  /** Runs one bad request and checks the contract: INVALID_REQUEST saying what, no Feishu call, no S3 call. */
  async function refusesClearly(
    shape: EventShape,
    handler: (typeof FUNCTIONS)[number]['handler'],
    event: unknown,
    says: RegExp,
  ): Promise<boolean> {
    tried += 1;
    const feishuBefore = env.feishu.count();
    env.s3Commands.length = 0;
    const refusal = await shape.refusal(handler, event);
    expect(refusal).toEqual({ code: 'INVALID_REQUEST', message: expect.stringMatching(says) });
    expect(env.feishu.count()).toBe(feishuBefore);
    expect(env.s3Commands).toEqual([]);
    return true;
  }

  const cases = FUNCTIONS.flatMap(({ endpoint, handler }) =>
    EVENT_SHAPES.map((shape) => [`${endpoint.functionName}, ${shape.name}`, { endpoint, handler, shape }] as const),
  );

  describe.each(cases)('%s', (_, { endpoint, handler, shape }) => {
    const ids = (): Fields => payloadFor(endpoint, VALID_ID);
    const anyIdName = fc.constantFrom(...endpoint.ids);
    const withId = (name: string, value: unknown): Fields => ({ ...payloadFor(endpoint, VALID_ID), [name]: value });

    it('refuses ids that traverse paths, are over-long, non-ASCII or blank, naming the id', async () => {
      await fc.assert(
        fc.asyncProperty(anyIdName, fc.oneof(traversal, overLong, nonAscii, blank), async (name, value) =>
          refusesClearly(shape, handler, shape.event(endpoint, withId(name, value), {}), new RegExp(`^${name} `)),
        ),
        { numRuns: RUNS },
      );
    });

    it('refuses a missing id, naming it', async () => {
      await fc.assert(
        fc.asyncProperty(anyIdName, async (name) => {
          const fields = withId(name, undefined);
          delete fields[name];
          const event = shape.typed ? shape.event(endpoint, fields, {}) : shape.event(endpoint, withId(name, ''), {});
          return refusesClearly(shape, handler, event, new RegExp(`^${name} (is required|must not be empty)`));
        }),
        { numRuns: endpoint.ids.length * 2 },
      );
    });

    if (shape.typed) {
      it('refuses ids of the wrong type, naming the id and the type', async () => {
        await fc.assert(
          fc.asyncProperty(anyIdName, wrongType, async (name, value) =>
            refusesClearly(
              shape,
              handler,
              shape.event(endpoint, withId(name, value), {}),
              new RegExp(`^${name} must be a string, not (a|an) `),
            ),
          ),
          { numRuns: RUNS },
        );
      });

      it('refuses a payload that is not a JSON object (a malformed JSON body arrives as a string)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.string(),
              fc.constantFrom('{"imageKey": "img_1"', '{imageKey: img_1}', '[1,2'),
              fc.integer(),
              fc.constant(null),
              fc.array(fc.anything(), { maxLength: 3 }),
            ),
            async (payload) =>
              refusesClearly(shape, handler, shape.carry?.(payload), /^the payload must be a JSON object/),
          ),
          { numRuns: RUNS },
        );
      });
    } else {
      it('refuses ids spelled into the raw path unencoded, saying which part is wrong', async () => {
        // A trailing '/' is the same route (`/im/images/img_1/`), not a bad id.
        await fc.assert(
          fc.asyncProperty(
            anyIdName,
            traversal.filter((value) => !value.endsWith('/')),
            async (name, value) => {
              const event = shape.event(endpoint, withId(name, value), {}) as {
                path?: string;
                rawPath?: string;
                requestContext: { path?: string };
              };
              const raw = pathOf(endpoint, withId(name, value), (segment) => segment);
              if (event.rawPath !== undefined) event.rawPath = raw;
              if (event.path !== undefined) event.path = raw;
              return refusesClearly(
                shape,
                handler,
                event,
                new RegExp(`^(${endpoint.ids.join('|')}) |^the path does not match GET `),
              );
            },
          ),
          { numRuns: RUNS },
        );
      });
    }

    it('refuses an absurd expiresIn, saying the allowed range', async () => {
      await fc.assert(
        fc.asyncProperty(absurdExpiresIn, async (expiresIn) =>
          refusesClearly(
            shape,
            handler,
            shape.event(endpoint, ids(), { expiresIn }),
            /^expiresIn must be a whole number of seconds from 1 to 3600/,
          ),
        ),
        { numRuns: RUNS },
      );
    });

    it('refuses refresh or download that are not true, false, 1 or 0', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('refresh', 'download'), badBoolean, async (name, value) =>
          refusesClearly(
            shape,
            handler,
            shape.event(endpoint, ids(), { [name]: value }),
            new RegExp(`^${name} must be true, false, 1 or 0`),
          ),
        ),
        { numRuns: RUNS },
      );
    });

    it('refuses extra fields, naming what is expected', async () => {
      await fc.assert(
        fc.asyncProperty(extraName, fc.string({ maxLength: 10 }), async (name, value) =>
          refusesClearly(
            shape,
            handler,
            shape.event(endpoint, ids(), { [name]: value }),
            /^unknown (field|query parameter) .*; expected /,
          ),
        ),
        { numRuns: RUNS },
      );
    });
  });

  it('has stored nothing at all', async () => {
    expect(await env.keys()).toEqual([]);
    expect(tried).toBeGreaterThan(1000);
  });
});
