import { docx } from '../../../lib/endpoints';
import { clearDailyCounts } from '../../../lib/feishu/RateLimiters';
import { clearTenantTokens } from '../../../lib/feishu/tenantToken';
import { createHandler } from '../../../lib/handler/createHandler';
import type { DocumentAnswer } from '../../../lib/mirror/DocumentAnswer';
import { setTimeout } from 'node:timers/promises';
import { lambdaContext } from '../../support/lambdaContext';
import { logLinesOf } from '../../support/logCapture/logLinesOf';
import { documentReply } from '../helpers/fakeDocument';
import { FakeFeishu } from '../helpers/fakeFeishu';
import { FakeS3 } from '../helpers/fakeS3';
import { setHandlerEnv } from '../helpers/handlerEnv';

const DOCUMENT_ID = 'doxcnR4mT8wQ2zK6vN1pL9sJ3hF';

/** A document of `count` image blocks, each its own media token, as a long photo report has them. */
function imageBlocks(count: number): { type: 'image'; token: string }[] {
  return Array.from({ length: count }, (_, n) => ({ type: 'image', token: `boxcnT7qW2eR9yU4iO1pA6sD${n + 1}` }));
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
    const { outcome, lines } = await logLinesOf(() => handler({ documentId: DOCUMENT_ID }, lambdaContext(2_500)));

    // Assess
    const answer = outcome as DocumentAnswer;
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
        reason: `${notStarted.length} document media items not started; the invocation's time ran out (send them again)`,
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
    const { outcome, lines } = await logLinesOf(() => handler({ documentId: DOCUMENT_ID }, lambdaContext(2_500)));

    // Assess
    const answer = outcome as DocumentAnswer;
    expect(answer).toMatchObject({ succeeded: 0, failed: 600 });
    expect(feishu.imageCalls().filter((call) => !call.url.includes('/blocks'))).toEqual([]);
    expect(answer.images[599]).toMatchObject({
      error: {
        code: 'UPSTREAM_TIMEOUT',
        retryable: true,
        message: `docx document ${DOCUMENT_ID}: no image started; listing its blocks took the invocation's time (send it again)`,
      },
    });
    expect(lines.filter((line) => line.message === 'image not mirrored')).toHaveLength(1);
  });
});
