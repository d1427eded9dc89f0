import type { APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { handler as baikeImage } from '../../functions/baikeImage';
import { handler as helpdeskFaqImage } from '../../functions/helpdeskFaqImage';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import type { MirrorHandler } from '../../lib/handler/createHandler';
import { recordFigures } from '../support/figures';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

const RUNS = 60;

/** The envelopes AWS sends, each with the function it goes to and how its outcome comes back. */
const ENVELOPES: readonly { fixture: string; handler: MirrorHandler; http: boolean }[] = [
  { fixture: 'apigw-rest/whiteboard.json', handler: whiteboardImage, http: true },
  { fixture: 'apigw-rest/helpdesk-faq.json', handler: helpdeskFaqImage, http: true },
  { fixture: 'apigw-http/baike.json', handler: baikeImage, http: true },
  { fixture: 'function-url/im.json', handler: imImage, http: true },
  { fixture: 's3/im-jsonl-manifest-created.json', handler: imImage, http: false },
  { fixture: 'eventbridge/rule-detail-payload.json', handler: whiteboardImage, http: false },
  { fixture: 'eventbridge/s3-object-created.json', handler: imImage, http: false },
];

/** Every path into a JSON value, objects and arrays alike, e.g. `['requestContext', 'http', 'method']`. */
function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  return entries.flatMap(([name, child]) => [[...prefix, name], ...pathsOf(child, [...prefix, name])]);
}

/** The event with the value at `path` removed (`undefined`) or replaced. */
function mutated(event: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(event) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** The product's error code of an outcome, whichever way it came back; undefined for a success. */
async function outcomeCode(handler: MirrorHandler, event: unknown, http: boolean): Promise<string | undefined> {
  try {
    const result = await handler(event, lambdaContext());
    if (!http) return undefined;
    const { statusCode, body } = result as APIGatewayProxyResult;
    return statusCode < 400 ? undefined : (JSON.parse(body) as { error: { code: string } }).error.code;
  } catch (error) {
    return (error as { code?: string }).code ?? 'NOT_A_MIRROR_ERROR';
  }
}

const replacement = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('%E0%A4%A', '%', '', '..', 'requests/im/../../x.jsonl'),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant({}),
);

describe('Malformed envelopes: any field of a real event missing or of the wrong type', () => {
  const env = useMirrorEnvironment();
  let tried = 0;
  afterAll(() => recordFigures('malformed-envelopes', { tried }));

  it.each(ENVELOPES.map((envelope) => [envelope.fixture, envelope] as const))(
    '%s is answered by the error table, never as an internal error',
    async (fixture, { handler, http }) => {
      // Prepare
      const event = loadEvent(fixture);
      const paths = pathsOf(event);

      // Act and Assess, for each mutation
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), replacement, async (path, value) => {
          tried += 1;
          env.reset();
          const code = await outcomeCode(handler, mutated(event, path, value), http);
          expect({ path: path.join('.'), code }).not.toMatchObject({
            code: expect.stringMatching(/^(INTERNAL_ERROR|NOT_A_MIRROR_ERROR)$/),
          });
        }),
        { numRuns: RUNS },
      );
    },
  );

  it('refuses an HTTP API event without a method as INVALID_REQUEST, saying so', async () => {
    // Prepare
    const event = mutated(loadEvent('apigw-http/baike.json'), ['requestContext', 'http', 'method'], undefined);

    // Act
    const answer = (await baikeImage(event, lambdaContext())) as APIGatewayProxyResult;

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('names no method') },
    });
    expect(env.feishu.count()).toBe(0);
  });
});
