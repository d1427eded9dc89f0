import type { BatchAnswer } from '../../../lib/batch/BatchAnswer';
import { fitAnswer } from '../../../lib/batch/fitAnswer';
import { HTTP_ANSWER_ROOM, TASK_ANSWER_ROOM, UNLIMITED_ROOM } from '../../../lib/mirror/AnswerRoom';
import type {
  CompactDocumentAnswer,
  DocumentImage,
  FullAnswerObject,
  FullDocumentAnswer,
} from '../../../lib/mirror/DocumentAnswer';

const DOCUMENT_ID = 'doxcnR4mT8wQ2zK6vN1pL9sJ3hF';
const BUCKET = 'feishu-image-mirror-prod-images';
const FULL_ANSWER: FullAnswerObject = {
  key: `results/docx/${DOCUMENT_ID}/2026-12-07T10:15:30.123Z-9f2c41ab.json`,
  url:
    `https://${BUCKET}.s3.us-east-1.amazonaws.com/results/docx/${DOCUMENT_ID}/` +
    `${encodeURIComponent('2026-12-07T10:15:30.123Z')}-9f2c41ab.json` +
    '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-SignedHeaders=host',
  expiresAt: '2026-12-07T10:30:30.123Z',
};

/** Image n of a document (from 1), as the document's answer lists it: one in `failEvery` failed, else mirrored. */
function image(n: number, failEvery: number): DocumentImage {
  const token = `boxcnT7qW2eR9yU4iO1pA6sD${n}`;
  const head = { blockId: `doxcn${String(n).padStart(22, '0')}`, blockType: 'image', token };
  if (n % failEvery === 0) {
    const message = `document media ${token}: not started; the invocation's time ran out (send it again)`;
    return { ...head, error: { code: 'UPSTREAM_TIMEOUT', message, retryable: true } };
  }
  const key = `feishu/drive-media/${token}`;
  return {
    ...head,
    answer: {
      kind: 'drive-media',
      source: { fileToken: token, documentId: DOCUMENT_ID },
      bucket: BUCKET,
      key,
      url: `https://${BUCKET}.s3.us-east-1.amazonaws.com/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900`,
      expiresAt: '2026-12-07T10:30:30.000Z',
      contentType: 'image/png',
      size: 48213,
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      cached: true,
      fetchedAt: '2026-12-01T08:15:42.000Z',
      fileName: `photo-${n}`,
    },
  };
}

/**
 * The full answer of a document of `count` images, one in `failEvery` failed (none by default),
 * written to S3 as mirrorDocument does when it may not fit.
 */
function document(count: number, failEvery = Number.POSITIVE_INFINITY, documentId = DOCUMENT_ID): FullDocumentAnswer {
  const images = Array.from({ length: count }, (_, n) => image(n + 1, failEvery));
  const failed = images.filter((entry) => 'error' in entry).length;
  return {
    kind: 'docx',
    source: { documentId },
    images,
    succeeded: count - failed,
    failed,
    fullAnswer: { ...FULL_ANSWER, key: FULL_ANSWER.key.replace(DOCUMENT_ID, documentId) },
  };
}

const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

describe('Function: fitAnswer', () => {
  it("answers a document whose full form fits a task's room as it is", () => {
    // Prepare
    const answer = document(40);

    // Act
    const fitted = fitAnswer(answer, TASK_ANSWER_ROOM);

    // Assess
    expect(fitted).toBe(answer);
  });

  it('answers a document too large for a task compact: its counts, every failed image, its full answer in S3', () => {
    // Prepare
    const answer = document(600, 2);

    // Act
    const fitted = fitAnswer(answer, TASK_ANSWER_ROOM);

    // Assess
    expect(bytesOf(answer)).toBeGreaterThan(TASK_ANSWER_ROOM.bytes);
    expect(fitted).toEqual({
      kind: 'docx',
      source: { documentId: DOCUMENT_ID },
      compact: true,
      succeeded: 300,
      failed: 300,
      fullAnswer: FULL_ANSWER,
      failedImages: answer.images.filter((entry) => 'error' in entry),
    });
    expect(bytesOf(fitted)).toBeLessThanOrEqual(TASK_ANSWER_ROOM.bytes);
  });

  it('keeps as many failed images as fit, in document order, and counts those left out', () => {
    // Prepare
    const answer = document(30_000, 2);

    // Act
    const fitted = fitAnswer(answer, TASK_ANSWER_ROOM) as CompactDocumentAnswer;

    // Assess
    const failedImages = answer.images.filter((entry) => 'error' in entry);
    expect(fitted.failedImages).toEqual(failedImages.slice(0, fitted.failedImages.length));
    expect(fitted.failedImagesLeftOut).toBe(15_000 - fitted.failedImages.length);
    expect(bytesOf(fitted)).toBeLessThanOrEqual(TASK_ANSWER_ROOM.bytes);
    // One more failed image would not have fitted.
    const oneMore = { ...fitted, failedImages: failedImages.slice(0, fitted.failedImages.length + 1) };
    expect(bytesOf(oneMore)).toBeGreaterThan(TASK_ANSWER_ROOM.bytes);
  });

  it("counts an HTTP answer as the string it is within Lambda's answer, each quote and backslash a byte more", () => {
    // Prepare
    const answer = document(40_000, 1);

    // Act
    const fitted = fitAnswer(answer, HTTP_ANSWER_ROOM) as CompactDocumentAnswer;

    // Assess
    const body = JSON.stringify(fitted);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(HTTP_ANSWER_ROOM.bytes);
    expect(Buffer.byteLength(body)).toBeLessThan(HTTP_ANSWER_ROOM.bytes);
    const oneMore = {
      ...fitted,
      failedImages: answer.images.filter((e) => 'error' in e).slice(0, fitted.failedImages.length + 1),
    };
    expect(Buffer.byteLength(JSON.stringify(JSON.stringify(oneMore)))).toBeGreaterThan(HTTP_ANSWER_ROOM.bytes);
  });

  it('makes compact only the documents of a batch that must be, the largest, so that the whole fits', () => {
    // Prepare
    const small = document(30, 2, 'doxcnSmallNotes000000000001');
    const medium = document(90, 2, 'doxcnMediumReport0000000001');
    const large = document(1_000, 2, 'doxcnLargeCatalogue00000001');
    const answer: BatchAnswer = { results: [large, small, medium], succeeded: 3, failed: 0 };

    // Act
    const fitted = fitAnswer(answer, TASK_ANSWER_ROOM) as BatchAnswer;

    // Assess
    expect(bytesOf(small) + bytesOf(medium)).toBeLessThan(TASK_ANSWER_ROOM.bytes / 2);
    expect(fitted.results[1]).toBe(small);
    expect(fitted.results[2]).toBe(medium);
    expect(fitted.results[0]).toMatchObject({ compact: true, source: large.source, succeeded: 500, failed: 500 });
    expect(bytesOf(fitted)).toBeLessThanOrEqual(TASK_ANSWER_ROOM.bytes);
  });

  it('leaves a document whose full answer was not written to S3 as it is, whatever its size', () => {
    // Prepare
    const { fullAnswer, ...answer } = document(1_000, 2);

    // Act
    const unlimited = fitAnswer({ ...answer, fullAnswer }, UNLIMITED_ROOM);
    const unwritten = fitAnswer(answer, TASK_ANSWER_ROOM);

    // Assess
    expect(unlimited).toMatchObject({ images: answer.images });
    expect(unwritten).toBe(answer);
  });
});
