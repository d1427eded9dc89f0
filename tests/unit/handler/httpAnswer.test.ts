import { httpFailure, httpSuccess } from '../../../lib/handler/httpAnswer';
import { MAX_RETRY_AFTER_SECONDS, MirrorError } from '../../../lib/errors/MirrorError';
import type { MirrorAnswer } from '../../../lib/mirror/MirrorAnswer';

const ANSWER: MirrorAnswer = {
  kind: 'whiteboard',
  source: { whiteboardId: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg' },
  bucket: 'feishu-image-mirror-dev-images',
  key: 'feishu/whiteboard/Vd7LwaTCKhv1bxbxNXAcSWlInFg',
  url:
    'https://feishu-image-mirror-dev-images.s3.us-east-1.amazonaws.com/feishu/whiteboard/Vd7LwaTCKhv1bxbxNXAcSWlInFg' +
    '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900',
  expiresAt: '2026-11-21T08:30:42.000Z',
  contentType: 'image/png',
  size: 48213,
  sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  cached: false,
  fetchedAt: '2026-11-21T08:15:42.000Z',
};

describe('Function: httpSuccess', () => {
  it('answers 200 with the answer as JSON, never to be cached', () => {
    // Act
    const result = httpSuccess(ANSWER, false);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers).toEqual({ 'Cache-Control': 'no-store', 'Content-Type': 'application/json' });
    expect(JSON.parse(result.body)).toEqual(ANSWER);
  });

  it('answers 302 to the presigned URL when asked to redirect, never to be cached', () => {
    // Act
    const result = httpSuccess(ANSWER, true);

    // Assess
    expect(result).toEqual({
      statusCode: 302,
      headers: { 'Cache-Control': 'no-store', Location: ANSWER.url },
      body: '',
    });
  });
});

describe('Function: httpFailure', () => {
  it.each([
    ['INVALID_REQUEST', 400],
    ['UNAUTHORIZED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['PAYLOAD_TOO_LARGE', 413],
    ['MISCONFIGURED', 500],
    ['UPSTREAM_ERROR', 502],
    ['STORAGE_ERROR', 503],
    ['UPSTREAM_TIMEOUT', 504],
  ] as const)('answers %s with HTTP %i and the error body', (code, status) => {
    // Prepare
    const error = new MirrorError(code, 'what went wrong');

    // Act
    const result = httpFailure(error);

    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers).toEqual({ 'Cache-Control': 'no-store', 'Content-Type': 'application/json' });
    expect(JSON.parse(result.body)).toEqual({
      error: { code, message: 'what went wrong', retryable: error.retryable },
    });
  });

  it('sets Retry-After when the error says how long to wait', () => {
    // Prepare
    const error = new MirrorError('RATE_LIMITED', 'Feishu rate-limited the app', {
      feishuCode: 99991400,
      retryAfterSeconds: 7,
      logId: 'abc',
    });

    // Act
    const result = httpFailure(error);

    // Assess
    expect(result.statusCode).toBe(429);
    expect(result.headers?.['Retry-After']).toBe('7');
    expect(JSON.parse(result.body)).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: 'Feishu rate-limited the app',
        retryable: true,
        feishuCode: 99991400,
        logId: 'abc',
      },
    });
  });

  it('sends a valid Retry-After, a whole number of seconds within a month, whatever the wait computed', () => {
    // Prepare
    const errors = [Infinity, 1e308, 0.2, -5].map(
      (seconds) => new MirrorError('RATE_LIMITED', 'limited', { retryAfterSeconds: seconds }),
    );

    // Act
    const headers = errors.map((error) => httpFailure(error).headers?.['Retry-After']);

    // Assess
    expect(headers).toEqual([String(MAX_RETRY_AFTER_SECONDS), String(MAX_RETRY_AFTER_SECONDS), '1', '1']);
  });

  it('leaves out a header whose value is not printable ASCII', () => {
    // Prepare
    const answer = { url: `https://bucket.s3.amazonaws.com/k?x=${String.fromCharCode(0xe9)}` } as MirrorAnswer;

    // Act
    const result = httpSuccess(answer, true);

    // Assess
    expect(result.headers).toEqual({ 'Cache-Control': 'no-store' });
  });
});
