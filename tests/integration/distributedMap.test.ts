import type { BatchAnswer } from '../../lib/batch/BatchAnswer';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import { buildS3Client } from '../../lib/clients/buildS3Client';
import { containerClients } from '../../lib/clients/containerClients';
import { im } from '../../lib/endpoints';
import { createHandler } from '../../lib/handler/createHandler';
import { DISTRIBUTED_MAP_MAX_ITEMS, STEP_FUNCTIONS_PAYLOAD_BYTES } from '../../lib/request/parseDistributedMapBatch';
import { answerOf, errorOf } from '../support/batchTypes';
import { FUNCTIONS, payloadFor } from '../support/handlers';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

/** The batch the generated state machine's first task sends: its items, asking to throw for retryable ones. */
const stateMachineBatch = (items: unknown[]) => ({ Items: items, BatchInput: { retryableItems: 'throw' } });

describe('Distributed Map batches', () => {
  const env = useMirrorEnvironment();

  it.each(FUNCTIONS.map((f) => [f.endpoint.functionName, f] as const))(
    '%s answers a Distributed Map batch item by item, in order, as a batch',
    async (_, { endpoint, handler }) => {
      // Prepare
      const items = ['dmap_a', 'dmap_b', 'dmap_c'].map((id) => payloadFor(endpoint, id));

      // Act
      const answer = (await handler({ Items: items, BatchInput: {} }, lambdaContext())) as BatchAnswer;

      // Assess
      expect(answer).toMatchObject({ succeeded: 3, failed: 0 });
      expect(answer.results.map((result) => answerOf(result).source)).toEqual(items);
      for (const result of answer.results) expect((await fetch(answerOf(result).url)).status).toBe(200);
    },
  );

  it("applies BatchInput's options to every item, an item's own option winning", async () => {
    // Prepare
    const batch = loadEvent('distributed-map/im-batch-input.json');

    // Act
    const answer = (await imImage(batch, lambdaContext())) as BatchAnswer;

    // Assess
    const urls = answer.results.map((result) => new URL(answerOf(result).url));
    expect(urls.map((url) => url.searchParams.get('X-Amz-Expires'))).toEqual(['3600', '600', '3600']);
    expect(urls.map((url) => url.searchParams.get('response-content-disposition')?.split(';')[0])).toEqual([
      'attachment',
      'attachment',
      'inline',
    ]);
  });

  it(
    "throws the error name of an item still retryable after the function's own retries, " +
      "for the state machine's Retry, when the batch asks to",
    async () => {
      // Prepare
      const batch = loadEvent<{ Items: Record<string, unknown>[] }>(
        'distributed-map/whiteboard-state-machine-batch.json',
      );
      batch.Items[1] = { whiteboardId: 'err-http-502' };

      // Act
      const invoked = whiteboardImage(batch, lambdaContext());

      // Assess
      await expect(invoked).rejects.toMatchObject({
        name: 'UpstreamError',
        message: expect.stringMatching(/^1 of 3 items are still retryable after the function's own retries \(item 2: /),
      });
    },
  );

  it('answers from S3, with no Feishu call, the images a batch sent again had already stored', async () => {
    // Prepare
    const items = ['img_v3_02ab_8f2d1c0e6b', 'err-http-502', 'img_v3_02ab_3b6f1a9e4c'].map((imageKey) => ({
      imageKey,
    }));
    await expect(imImage(stateMachineBatch(items), lambdaContext())).rejects.toMatchObject({ name: 'UpstreamError' });
    const callsBefore = env.feishu.count('im');

    // Act
    const again = imImage(stateMachineBatch([items[0], items[2]]), lambdaContext());

    // Assess
    const answer = (await again) as BatchAnswer;
    expect(answer.results.map((result) => answerOf(result).cached)).toEqual([true, true]);
    expect(env.feishu.count('im')).toBe(callsBefore);
  });

  it('answers a batch whose retries are spent: its retryable item failed in its line, the rest mirrored', async () => {
    // Prepare
    const items = ['img_v3_02ab_8f2d1c0e6b', 'err-http-502'].map((imageKey) => ({ imageKey }));

    // Act
    const answer = (await imImage({ Items: items }, lambdaContext())) as BatchAnswer;

    // Assess
    expect(answer).toMatchObject({ succeeded: 1, failed: 1 });
    expect(answerOf(answer.results[0]).source).toEqual({ imageKey: 'img_v3_02ab_8f2d1c0e6b' });
    expect(errorOf(answer.results[1]!)).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true });
  });

  it('answers, and does not throw for, an item that no retry can mend, even when the batch asks to throw', async () => {
    // Prepare
    const items = ['img_v3_02ab_8f2d1c0e6b', 'err-234005'].map((imageKey) => ({ imageKey }));

    // Act
    const answer = (await imImage(stateMachineBatch(items), lambdaContext())) as BatchAnswer;

    // Assess
    expect(answer).toMatchObject({ succeeded: 1, failed: 1 });
    expect(errorOf(answer.results[1]!)).toMatchObject({ code: 'NOT_FOUND', retryable: false });
  });

  it('refuses a batch larger than Step Functions could carry the answer of, before any Feishu call', async () => {
    // Prepare
    const items = Array.from({ length: DISTRIBUTED_MAP_MAX_ITEMS + 1 }, (_, i) => ({ imageKey: `img_v3_dmap_${i}` }));

    // Act
    const invoked = imImage({ Items: items }, lambdaContext());

    // Assess
    await expect(invoked).rejects.toMatchObject({
      name: 'InvalidRequestError',
      message: expect.stringContaining("set the ItemBatcher's MaxItemsPerBatch to at most 73"),
    });
    expect(env.feishu.count()).toBe(0);
  });

  it(
    'answers a full batch of the longest ids, with URLs holding a role session token, ' +
      "within 90 % of the 256 KiB a task's answer may hold",
    async () => {
      // Prepare
      // As long as the session token of a Lambda role's credentials, with the '+', '/' and '=' a URL escapes.
      const sessionToken = Buffer.from(Array.from({ length: 846 }, (_, i) => (i * 37) % 256)).toString('base64');
      env.setEnv({ AWS_SESSION_TOKEN: sessionToken });
      const s3 = buildS3Client(true);
      const handler = createHandler(im, { ...containerClients(), s3: () => s3 });
      const items = Array.from({ length: DISTRIBUTED_MAP_MAX_ITEMS }, (_, i) => ({
        imageKey: `img_v3_${String(i).padStart(3, '0')}_${'x'.repeat(256 - 11)}`,
        download: true,
      }));

      try {
        // Act
        const answer = (await handler(stateMachineBatch(items), lambdaContext())) as BatchAnswer;

        // Assess
        expect(answer).toMatchObject({ succeeded: DISTRIBUTED_MAP_MAX_ITEMS, failed: 0 });
        expect(new URL(answerOf(answer.results[0]).url).searchParams.get('X-Amz-Security-Token')).toBe(sessionToken);
        expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThan(0.9 * STEP_FUNCTIONS_PAYLOAD_BYTES);
      } finally {
        env.setEnv({ AWS_SESSION_TOKEN: undefined });
        s3.destroy();
      }
    },
  );
});
