/**
 * The error table of the product: every failure a caller can see is one of these codes.
 * The HTTP status answers API Gateway callers; the name is the Error name thrown to direct
 * invokers, so a Step Functions `Retry`/`Catch` can match it.
 */
export const ERROR_CODES = {
  INVALID_REQUEST: { status: 400, name: 'InvalidRequestError', retryable: false },
  UNAUTHORIZED: { status: 401, name: 'UnauthorizedError', retryable: false },
  FORBIDDEN: { status: 403, name: 'ForbiddenError', retryable: false },
  NOT_FOUND: { status: 404, name: 'NotFoundError', retryable: false },
  PAYLOAD_TOO_LARGE: { status: 413, name: 'PayloadTooLargeError', retryable: false },
  RATE_LIMITED: { status: 429, name: 'RateLimitedError', retryable: true },
  MISCONFIGURED: { status: 500, name: 'MisconfiguredError', retryable: false },
  UPSTREAM_ERROR: { status: 502, name: 'UpstreamError', retryable: true },
  UPSTREAM_TIMEOUT: { status: 504, name: 'UpstreamTimeoutError', retryable: true },
  STORAGE_ERROR: { status: 503, name: 'StorageError', retryable: true },
  // The receiver's queue or record table failed: a 500, on which Feishu delivers the event again.
  QUEUE_ERROR: { status: 500, name: 'QueueError', retryable: true },
  // Not an outcome any caller should see: a defect of ours, which the log explains.
  INTERNAL_ERROR: { status: 500, name: 'InternalError', retryable: false },
} as const;

/** One of the product's error codes, such as `NOT_FOUND`. */
export type ErrorCode = keyof typeof ERROR_CODES;
