import { setTimeout } from 'node:timers/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { docx } from '../../../lib/endpoints';
import { clearDailyCounts } from '../../../lib/feishu/RateLimiters';
import { clearTenantTokens } from '../../../lib/feishu/tenantToken';
import { createHandler, type MirrorHandler } from '../../../lib/handler/createHandler';
import type { CompactDocumentAnswer, DocumentAnswer, FullDocumentAnswer } from '../../../lib/mirror/DocumentAnswer';
import { lambdaContext } from '../../support/lambdaContext';
import { loadEvent } from '../../support/loadEvent';
import { logLinesOf } from '../../support/logCapture/logLinesOf';
import { documentReply } from '../helpers/fakeDocument';
import { FakeFeishu } from '../helpers/fakeFeishu';
import { FakeS3, s3Error } from '../helpers/fakeS3';
import { feishuError } from '../helpers/feishuAnswer';
import { setHandlerEnv } from '../helpers/handlerEnv';

const DOCUMENT_ID = 'doxcnR4mT8wQ2zK6vN1pL9sJ3hF';
const TIME_LEFT = "the invocation's time";
const TIME_RAN_OUT = `${TIME_LEFT} ran out`;

/** A document of `count` image blocks, each its own media token, as a long photo report has them. */
function imageBlocks(count: number): { type: 'image'; token: string }[] {
  return Array.from({ length: count }, (_, n) => ({ type: 'image', token: `boxcnT7qW2eR9yU4iO1pA6sD${n + 1}` }));
}

/** The document asked for through the REST API, whose answer has Lambda's 6 MB, and what it answered. */
async function overRest(handler: MirrorHandler, remainingMs: number): Promise<FullDocumentAnswer> {
  const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/docx.json');
  event.pathParameters = { documentId: DOCUMENT_ID };
  const result = (await handler(event, lambdaContext(remainingMs))) as APIGatewayProxyResult;
  return JSON.parse(result.body) as FullDocumentAnswer;
}

describe('Function: docxImages, documents of any size', () => {
  let feishu: FakeFeishu;
  let s3: FakeS3;

  beforeEach(() => {
    clearTenantTokens();
    clearDailyCounts();
    s3 = new FakeS3();
    feishu = new FakeFeishu();
    // The blocks listed at once: the time left after listing is what the test is about.
    setHandlerEnv({ DOCX_RATE_LIMIT: '1000/s' });
  });

  it('answers a document of 40,000 image blocks before its deadline when 6 s are left after listing', async () => {
    // Prepare
    feishu.onImage(documentReply(DOCUMENT_ID, imageBlocks(40_000)));
    const handler = createHandler(docx, feishu.clients({ s3: s3.client }));
    const remainingMs = 6_000;

    // Act
    const started = Date.now();
    const answer = (await handler({ documentId: DOCUMENT_ID }, lambdaContext(remainingMs))) as DocumentAnswer;
    const tookMs = Date.now() - started;

    // Assess
    expect(tookMs).toBeLessThan(remainingMs);
    expect(answer.succeeded + answer.failed).toBe(40_000);
  }, 60_000);

  it('logs the images it had no time to start in one line, not a line each', async () => {
    // Prepare
    feishu.onImage(documentReply(DOCUMENT_ID, imageBlocks(2_000)));
    const handler = createHandler(docx, feishu.clients({ s3: s3.client }));

    // Act
    const { outcome: answer, lines } = await logLinesOf(() => overRest(handler, 2_500));

    // Assess
    const notStarted = answer.images.filter(
      (image) => 'error' in image && /not started; the invocation's time ran out/.test(image.error.message),
    );
    expect(notStarted.length).toBeGreaterThan(1_900);
    const timeRanOut = lines.filter(
      (line) => line.message === 'image not mirrored' && /the invocation's time ran out/.test(String(line.reason)),
    );
    expect(timeRanOut).toEqual([
      expect.objectContaining({
        code: 'UPSTREAM_TIMEOUT',
        reason: `${notStarted.length} document media items not started; ${TIME_RAN_OUT} (send them again)`,
      }),
    ]);
  });

  it('answers every image UPSTREAM_TIMEOUT at once, starting none, when listing left less than a second', async () => {
    // Prepare
    const pages = documentReply(DOCUMENT_ID, imageBlocks(600));
    // Two pages, each answered after 900 ms: 1.8 s of the 2.25 s the invocation may spend.
    feishu.onImage(async (call) => {
      await setTimeout(900);
      return pages(call);
    });
    const handler = createHandler(docx, feishu.clients({ s3: s3.client }));

    // Act
    const { outcome: answer, lines } = await logLinesOf(() => overRest(handler, 2_500));

    // Assess
    expect(answer).toMatchObject({ succeeded: 0, failed: 600 });
    expect(feishu.imageCalls().filter((call) => !call.url.includes('/blocks'))).toEqual([]);
    expect(answer.images[599]).toMatchObject({
      error: {
        code: 'UPSTREAM_TIMEOUT',
        retryable: true,
        message: `docx document ${DOCUMENT_ID}: no image started; listing its blocks took ${TIME_LEFT} (send it again)`,
      },
    });
    expect(lines.filter((line) => line.message === 'image not mirrored')).toHaveLength(1);
  });

  describe('when its full answer cannot be written to S3', () => {
    beforeEach(() => {
      setHandlerEnv({ DOCX_RATE_LIMIT: '1000/s', DRIVE_MEDIA_RATE_LIMIT: '1000/s' });
      const blocks = documentReply(DOCUMENT_ID, imageBlocks(2_000));
      // Every image forbidden: 2,000 failed images are more than a task's answer holds.
      feishu.onImage((call) => (call.url.includes('/blocks') ? blocks(call) : feishuError(403, 1061004, 'forbidden')));
      s3.before(PutObjectCommand, async (input) => {
        if (input.Key?.startsWith('results/')) throw s3Error('SlowDown', 503, 'Please reduce your request rate.');
      });
    });

    it('answers compact all the same, its counts and failed images, naming the S3 error', async () => {
      // Prepare
      const handler = createHandler(docx, feishu.clients({ s3: s3.client }));

      // Act
      const answer = (await handler({ documentId: DOCUMENT_ID }, lambdaContext())) as CompactDocumentAnswer;

      // Assess
      expect(answer).toMatchObject({
        compact: true,
        succeeded: 0,
        failed: 2_000,
        fullAnswer: {
          key: expect.stringMatching(new RegExp(`^results/docx/${DOCUMENT_ID}/`)),
          error: {
            code: 'STORAGE_ERROR',
            retryable: true,
            message: expect.stringMatching(/^writing the results results\/docx\/.+: S3 failed \(SlowDown\)$/),
          },
        },
      });
      expect(answer.failedImages[0]).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThanOrEqual(256 * 1024);
    });

    it('throws its S3 error to a Distributed Map batch that asks to, so that the batch is sent again', async () => {
      // Prepare
      const handler = createHandler(docx, feishu.clients({ s3: s3.client }));
      const batch = { Items: [{ documentId: DOCUMENT_ID }], BatchInput: { retryableItems: 'throw' } };

      // Act
      const call = handler(batch, lambdaContext());

      // Assess
      await expect(call).rejects.toMatchObject({ name: 'StorageError', code: 'STORAGE_ERROR' });
    });
  });
});
