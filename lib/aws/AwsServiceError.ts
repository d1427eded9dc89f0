/**
 * An error answer from an AWS service, named by the service's own code (`NoSuchBucket`,
 * `AccessDenied`, `ParameterNotFound`, …), with the HTTP status and request id for the logs.
 */
export class AwsServiceError extends Error {
  constructor(
    name: string,
    message: string,
    readonly status: number,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = name;
  }
}

const RETRYABLE_CODES = new Set(['SlowDown', 'RequestTimeout', 'InternalError', 'ServiceUnavailable', 'ThrottlingException', 'Throttling', 'RequestLimitExceeded']);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/** Whether another attempt of the same request may succeed: throttling, 5xx, a broken connection. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof AwsServiceError) return error.status >= 500 || error.status === 429 || RETRYABLE_CODES.has(error.name);
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code);
}
