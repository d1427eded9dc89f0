import { invalidRequest, MirrorError, misconfigured } from '../../../lib/errors/MirrorError';
import { ERROR_CODES, type ErrorCode } from '../../../lib/errors/errorCodes';

/** The contract's error table (README.md, "Errors"), written out by hand. */
const CONTRACT: ReadonlyArray<[ErrorCode, number, string, boolean]> = [
  ['INVALID_REQUEST', 400, 'InvalidRequestError', false],
  ['UNAUTHORIZED', 401, 'UnauthorizedError', false],
  ['FORBIDDEN', 403, 'ForbiddenError', false],
  ['NOT_FOUND', 404, 'NotFoundError', false],
  ['PAYLOAD_TOO_LARGE', 413, 'PayloadTooLargeError', false],
  ['RATE_LIMITED', 429, 'RateLimitedError', true],
  ['MISCONFIGURED', 500, 'MisconfiguredError', false],
  ['UPSTREAM_ERROR', 502, 'UpstreamError', true],
  ['UPSTREAM_TIMEOUT', 504, 'UpstreamTimeoutError', true],
  ['STORAGE_ERROR', 503, 'StorageError', true],
  ['QUEUE_ERROR', 500, 'QueueError', true],
  ['INTERNAL_ERROR', 500, 'InternalError', false],
];

describe('Class: MirrorError', () => {
  it("knows exactly the codes of the contract's table (plus INTERNAL_ERROR)", () => {
    // Act
    const known = Object.keys(ERROR_CODES).sort();

    // Assess
    expect(known).toEqual(CONTRACT.map(([code]) => code).sort());
  });

  it.each(CONTRACT)('gives %s the status %i, the name %s and retryable %p', (code, status, name, retryable) => {
    // Act
    const error = new MirrorError(code, 'something happened');

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code, status, name, retryable, message: 'something happened' });
  });

  it("lets a failure override its code's retryable", () => {
    // Act
    const error = new MirrorError('UPSTREAM_ERROR', "the tenant's storage failed", { retryable: false });

    // Assess
    expect(error.retryable).toBe(false);
  });

  it("carries Feishu's code, message, log id and a Retry-After", () => {
    // Act
    const error = new MirrorError('RATE_LIMITED', 'limited', {
      feishuCode: 99991400,
      feishuMsg: 'request trigger frequency limit',
      logId: '2026112108154200',
      retryAfterSeconds: 2,
    });

    // Assess
    expect(error).toMatchObject({
      feishuCode: 99991400,
      feishuMsg: 'request trigger frequency limit',
      logId: '2026112108154200',
      retryAfterSeconds: 2,
    });
  });

  it('keeps the original error as its cause', () => {
    // Prepare
    const cause = new TypeError('fetch failed');

    // Act
    const error = new MirrorError('UPSTREAM_ERROR', 'could not reach Feishu', { cause });

    // Assess
    expect(error.cause).toBe(cause);
  });

  it('has no cause property when none is given', () => {
    // Act
    const error = new MirrorError('NOT_FOUND', 'gone');

    // Assess
    expect('cause' in error).toBe(false);
  });

  it('shows its name in its stack, for logs and Step Functions', () => {
    // Act
    const error = new MirrorError('NOT_FOUND', 'the whiteboard does not exist');

    // Assess
    expect(error.stack?.startsWith('NotFoundError: the whiteboard does not exist')).toBe(true);
  });
});

describe('Function: invalidRequest', () => {
  it('makes an INVALID_REQUEST with the message', () => {
    // Act
    const error = invalidRequest('imageKey is required');

    // Assess
    expect(error).toMatchObject({
      code: 'INVALID_REQUEST',
      status: 400,
      name: 'InvalidRequestError',
      message: 'imageKey is required',
    });
  });
});

describe('Function: misconfigured', () => {
  it('makes a MISCONFIGURED with the message and cause', () => {
    // Prepare
    const cause = new Error('ParameterNotFound');

    // Act
    const error = misconfigured('the setting IMAGE_BUCKET is missing', cause);

    // Assess
    expect(error).toMatchObject({
      code: 'MISCONFIGURED',
      status: 500,
      name: 'MisconfiguredError',
      message: 'the setting IMAGE_BUCKET is missing',
    });
    expect(error.cause).toBe(cause);
  });
});
