import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { BatchAnswer } from '../../lib/batch/BatchAnswer';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import { answerOf, errorOf } from '../support/batchTypes';
import { FUNCTIONS, payloadFor } from '../support/handlers';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

describe('Batches', () => {
  const env = useMirrorEnvironment();

  it.each(FUNCTIONS.map((f) => [f.endpoint.functionName, f] as const))(
    '%s answers a batch item by item, in order',
    async (_, { endpoint, handler }) => {
      // Prepare
      const items = ['batch_a', 'batch_b', 'batch_c'].map((id) => payloadFor(endpoint, id));

      // Act
      const answer = (await handler({ items }, lambdaContext())) as BatchAnswer;

      // Assess
      expect(answer).toMatchObject({ succeeded: 3, failed: 0 });
      expect(answer.results.map((result) => answerOf(result).source)).toEqual(items);
      for (const result of answer.results) expect((await fetch(answerOf(result).url)).status).toBe(200);
    },
  );

  it('answers a bad item with the same error body as HTTP and never lets it fail the others', async () => {
    // Prepare
    const batch = loadEvent('batch/whiteboard-mixed.json');
    const rest = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
    rest.pathParameters = { whiteboardId: 'err-2890003' };
    rest.path = '/whiteboards/err-2890003/image';

    // Act
    const answer = (await whiteboardImage(batch, lambdaContext())) as BatchAnswer;
    const overHttp = JSON.parse(((await whiteboardImage(rest, lambdaContext())) as APIGatewayProxyResult).body) as {
      error: Record<string, unknown>;
    };

    // Assess
    expect(answer).toMatchObject({ succeeded: 2, failed: 4 });
    expect(answer.results).toHaveLength(6);
    expect(answerOf(answer.results[0]).source).toEqual({ whiteboardId: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg' });
    expect({ ...errorOf(answer.results[1]!), logId: undefined }).toEqual({ ...overHttp.error, logId: undefined });
    expect(errorOf(answer.results[2]!)).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/^item 3: whiteboardId may hold only/),
    });
    expect(errorOf(answer.results[3]!)).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/^item 4: unknown field 'size'/),
    });
    expect(errorOf(answer.results[4]!)).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/^item 5: the payload must be a JSON object/),
    });
    expect(answerOf(answer.results[5]).source).toEqual({ whiteboardId: 'Mn5TyuTCKhv1bxbxNXAcSWlZxYw' });
  });

  it('answers an empty batch with zero results and calls nobody', async () => {
    // Act
    const answer = await imImage({ items: [] }, lambdaContext());

    // Assess
    expect(answer).toEqual({ results: [], succeeded: 0, failed: 0 });
    expect(env.feishu.count()).toBe(0);
  });

  it.each([
    [{ items: { imageKey: 'img_v3_01' } }, 'items must be an array of payloads, not an object'],
    [{ items: null }, 'items must be an array of payloads, not null'],
    [{ items: [], parallel: 4 }, "unknown batch field 'parallel'; expected items, refresh, expiresIn, download"],
    [{ items: [], expiresIn: 0 }, 'expiresIn must be a whole number of seconds from 1 to 3600'],
  ])('refuses the batch %j as a whole with InvalidRequestError', async (batch, message) => {
    // Act
    const invoked = imImage(batch, lambdaContext());

    // Assess
    await expect(invoked).rejects.toMatchObject({
      name: 'InvalidRequestError',
      code: 'INVALID_REQUEST',
      message: expect.stringContaining(message),
    });
    expect(env.feishu.count()).toBe(0);
  });

  it("lets an item's option win over the batch's", async () => {
    // Prepare
    const batch = loadEvent('batch/im.json');

    // Act
    const answer = (await imImage(batch, lambdaContext())) as BatchAnswer;

    // Assess
    const [first, second, third] = answer.results.map(answerOf);
    const lifetime = (a: { url: string }): string | null => new URL(a.url).searchParams.get('X-Amz-Expires');
    expect([lifetime(first!), lifetime(second!), lifetime(third!)]).toEqual(['300', '600', '300']);
    expect(new URL(third!.url).searchParams.get('response-content-disposition')).toMatch(/^attachment/);
  });

  it('fetches an image once however many items name it, each answered with its own options', async () => {
    // Prepare
    const batch = loadEvent('batch/whiteboard-duplicates.json');

    // Act
    const answer = (await whiteboardImage(batch, lambdaContext())) as BatchAnswer;

    // Assess
    const results = answer.results.map(answerOf);
    expect(answer).toMatchObject({ succeeded: 5, failed: 0 });
    expect(env.feishu.count('whiteboard')).toBe(2);
    expect(results[2]).toEqual(results[0]);
    expect(results[4]).toEqual(results[1]);
    expect(results[3]).toMatchObject({
      key: results[0]!.key,
      sha256: results[0]!.sha256,
      fetchedAt: results[0]!.fetchedAt,
    });
    expect(new URL(results[3]!.url).searchParams.get('X-Amz-Expires')).toBe('120');
    expect((await fetch(results[3]!.url)).headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('answers the items it had no time for UPSTREAM_TIMEOUT, retryable, before the invocation ends', async () => {
    // Prepare
    const items = Array.from({ length: 60 }, (_, i) => ({ whiteboardId: `cut_${i}` }));
    const context = lambdaContext(3500);

    // Act
    const answer = (await whiteboardImage({ items }, context)) as BatchAnswer;

    // Assess
    const errors = answer.results.map(errorOf).filter((error) => error !== undefined);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(answer.succeeded).toBeGreaterThanOrEqual(10);
    expect(answer.succeeded + answer.failed).toBe(60);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', retryable: true });
    // Nothing lost or half-done: every success stored, nothing else fetched or stored.
    expect(env.feishu.count('whiteboard')).toBe(answer.succeeded);
    expect((await env.keys()).filter((key) => key.startsWith('feishu/whiteboard/cut_'))).toHaveLength(answer.succeeded);
  }, 30_000);

  describe('size', () => {
    it('refuses a batch over BATCH_MAX_ITEMS before any call, naming the limit and the way out', async () => {
      // Prepare
      const items = Array.from({ length: 1001 }, (_, i) => ({ imageKey: `img_v3_many_${i}` }));

      // Act
      const invocation = imImage({ items }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({
        name: 'InvalidRequestError',
        message: expect.stringMatching(
          new RegExp(
            String.raw`^the batch has 1001 items; at most 1000 \(BATCH_MAX_ITEMS\) .* ` +
              String.raw`send larger ones as an S3 manifest under requests\/im\/$`,
          ),
        ),
      });
      expect(env.feishu.count()).toBe(0);
    });

    it(
      'keeps the answer of BATCH_MAX_ITEMS items of the longest ids, with a session token in every URL, ' +
        'within what Lambda returns (6 MB)',
      async () => {
        // Prepare
        env.setEnv({ AWS_SESSION_TOKEN: `IQoJb3JpZ2luX2VjE${'A'.repeat(1400)}` });
        const items = Array.from({ length: 10 }, (_, i) => ({
          whiteboardId: `${String(i).padStart(2, '0')}${'w'.repeat(254)}`,
        }));

        // Act
        const answer = (await whiteboardImage({ items, download: true }, lambdaContext())) as BatchAnswer;

        // Assess
        env.setEnv({ AWS_SESSION_TOKEN: undefined });
        expect(answer.succeeded).toBe(10);
        const largest = Math.max(...answer.results.map((result) => Buffer.byteLength(JSON.stringify(result))));
        expect(largest * 1000 + 100).toBeLessThan(6 * 1024 * 1024);
      },
    );
  });
});
