import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handler as docxImages } from '../../../functions/docxImages';
import type { BatchAnswer } from '../../../lib/batch/BatchAnswer';
import type { CompactDocumentAnswer, FullDocumentAnswer } from '../../../lib/mirror/DocumentAnswer';
import { imageTokenOf } from '../../sandbox/feishu';
import { lambdaContext } from '../../support/lambdaContext';
import { loadEvent } from '../../support/loadEvent';
import { useMirrorEnvironment } from '../../support/useMirrorEnvironment';

/** Lambda's largest answer to a synchronous invocation, over HTTP and Invoke alike. */
const LAMBDA_ANSWER_BYTES = 6 * 1024 * 1024;
/** The largest output of a Step Functions task. */
const TASK_ANSWER_BYTES = 256 * 1024;

/** A photo report: 30,000 image blocks showing 300 photos, each placed 100 times, so every image is fetched. */
const REPORT = 'doxcnPhotoReport30000Images';
const REPORT_BLOCKS = Array.from({ length: 30_000 }, (_, n) => ({
  type: 'image' as const,
  token: `boxcnReportPhoto${String(n % 300).padStart(3, '0')}`,
}));
/** 30,000 images of their own, which the time given cannot fetch: most fail, UPSTREAM_TIMEOUT. */
const GENERATED = 'docgen-30000-0-0';

const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** The full answer the compact one names, read through its presigned URL. */
async function fullAnswerOf(answer: CompactDocumentAnswer): Promise<FullDocumentAnswer> {
  if (!('url' in answer.fullAnswer))
    throw new Error(`the full answer was not written: ${answer.fullAnswer.error.message}`);
  const response = await fetch(answer.fullAnswer.url);
  expect(response.status).toBe(200);
  return (await response.json()) as FullDocumentAnswer;
}

// The blocks listed and the media fetched faster than Feishu allows: the size of the answer is
// what these tests are about, not the time 80 pages take at 5 a second.
describe('Function: docxImages, the answer of a document of 30,000 images', () => {
  const env = useMirrorEnvironment({ env: { DOCX_RATE_LIMIT: '1000/s', DRIVE_MEDIA_RATE_LIMIT: '1000/s' } });

  beforeEach(() => {
    env.feishu.addDocument(REPORT, REPORT_BLOCKS);
    env.feishu.setDriveMediaDailyQuota(Number.POSITIVE_INFINITY);
  });

  it('answers over HTTP within the 6 MB of Lambda, compact, the full answer in S3 as its full form', async () => {
    // Prepare
    const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/docx.json');
    event.pathParameters = { documentId: REPORT };

    // Act
    const result = (await docxImages(event, lambdaContext())) as APIGatewayProxyResult;

    // Assess
    expect(result.statusCode).toBe(200);
    expect(bytesOf(result)).toBeLessThanOrEqual(LAMBDA_ANSWER_BYTES);
    const answer = JSON.parse(result.body) as CompactDocumentAnswer;
    expect(answer).toMatchObject({ compact: true, succeeded: 30_000, failed: 0, failedImages: [] });
    expect(answer.fullAnswer.key).toMatch(
      new RegExp(`^results/docx/${REPORT}/\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z-[0-9a-f]{8}\\.json$`),
    );
    const full = await fullAnswerOf(answer);
    expect(bytesOf(full)).toBeGreaterThan(LAMBDA_ANSWER_BYTES);
    expect(full).toMatchObject({ kind: 'docx', source: { documentId: REPORT }, succeeded: 30_000, failed: 0 });
    expect(full.images.map((image) => image.token)).toEqual(REPORT_BLOCKS.map((block) => block.token));
    const last = full.images[29_999]!;
    if (!('answer' in last)) throw new Error(`the last image failed: ${last.error.message}`);
    expect(last.answer.key).toBe(`feishu/drive-media/${REPORT_BLOCKS[29_999]!.token}`);
    expect((await fetch(last.answer.url)).status).toBe(200);
  }, 60_000);

  it('answers a direct invocation and a Distributed Map batch within the 256 KiB of a task', async () => {
    // Act
    const direct = (await docxImages({ documentId: REPORT }, lambdaContext())) as CompactDocumentAnswer;
    const batch = (await docxImages(
      { Items: [{ documentId: REPORT }], BatchInput: {} },
      lambdaContext(),
    )) as BatchAnswer;

    // Assess
    expect(bytesOf(direct)).toBeLessThanOrEqual(TASK_ANSWER_BYTES);
    expect(direct).toMatchObject({ compact: true, succeeded: 30_000, failed: 0 });
    expect(bytesOf(batch)).toBeLessThanOrEqual(TASK_ANSWER_BYTES);
    expect(batch).toMatchObject({ succeeded: 1, failed: 0, results: [{ compact: true, succeeded: 30_000 }] });
    expect((await fullAnswerOf(direct)).images).toHaveLength(30_000);
  }, 60_000);

  it('keeps inline as many failed images as fit within 256 KiB, in document order, and counts the others', async () => {
    // Act
    const answer = (await docxImages({ documentId: GENERATED }, lambdaContext(8_000))) as CompactDocumentAnswer;

    // Assess
    expect(bytesOf(answer)).toBeLessThanOrEqual(TASK_ANSWER_BYTES);
    expect(answer.failed).toBeGreaterThan(29_000);
    expect(answer.failedImages.length).toBeGreaterThan(100);
    expect(answer.failedImages.length + (answer.failedImagesLeftOut ?? 0)).toBe(answer.failed);
    expect(answer.failedImages[0]).toMatchObject({ error: { code: 'UPSTREAM_TIMEOUT', retryable: true } });
    const full = await fullAnswerOf(answer);
    expect(full.images.map((image) => image.token)).toEqual(
      Array.from({ length: 30_000 }, (_, n) => imageTokenOf(GENERATED, n + 1)),
    );
    expect(full).toMatchObject({ succeeded: answer.succeeded, failed: answer.failed });
    const failedInFull = full.images.filter((image) => 'error' in image);
    expect(answer.failedImages).toEqual(failedInFull.slice(0, answer.failedImages.length));
  }, 60_000);
});
