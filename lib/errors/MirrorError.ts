import { ERROR_CODES, type ErrorCode } from './errorCodes';

/** What a failure carries besides its code and message. */
export interface MirrorErrorDetails {
  cause?: unknown;
  /** Overrides the code's default, e.g. an UPSTREAM_ERROR that retrying cannot fix. */
  retryable?: boolean;
  feishuCode?: number;
  feishuMsg?: string;
  logId?: string;
  /** Seconds a caller should wait before trying again (RATE_LIMITED). */
  retryAfterSeconds?: number;
  /** The ids of the image or document the failure is about, under their payload names (never a token). */
  source?: Readonly<Record<string, string>>;
}

/**
 * The one error type of the product. Its `name` comes from the error table
 * (`NotFoundError`, `RateLimitedError`, …) so that direct invokers can match on it.
 *
 * @example
 * throw new MirrorError('NOT_FOUND', 'whiteboard wb1 does not exist', { feishuCode: 2890003 });
 */
export class MirrorError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly feishuCode?: number;
  readonly feishuMsg?: string;
  readonly logId?: string;
  readonly retryAfterSeconds?: number;
  readonly source?: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, details: MirrorErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    const entry = ERROR_CODES[code];
    this.name = entry.name;
    this.code = code;
    this.status = entry.status;
    this.retryable = details.retryable ?? entry.retryable;
    this.feishuCode = details.feishuCode;
    this.feishuMsg = details.feishuMsg;
    this.logId = details.logId;
    this.retryAfterSeconds = wholeSeconds(details.retryAfterSeconds);
    this.source = details.source;
  }
}

/**
 * The same failure, naming the image or document it is about, for the one log line that records
 * it; an error that already names one is kept as it is.
 *
 * @example
 * throw aboutSource(error, request.source); // logged at the edge with `source: { imageKey: … }`
 */
export function aboutSource(error: MirrorError, source: Readonly<Record<string, string>>): MirrorError {
  if (error.source !== undefined) return error;
  const { code, message, cause, retryable, feishuCode, feishuMsg, logId, retryAfterSeconds } = error;
  const named = new MirrorError(code, message, {
    cause,
    retryable,
    feishuCode,
    feishuMsg,
    logId,
    retryAfterSeconds,
    source: { ...source },
  });
  named.stack = error.stack;
  return named;
}

/** The longest wait advised: a month, as long as Feishu's longest quota (monthly) runs. */
export const MAX_RETRY_AFTER_SECONDS = 31 * 24 * 3600;

// Retry-After must be a whole number of seconds, whatever arithmetic or header produced it.
function wholeSeconds(seconds: number | undefined): number | undefined {
  if (seconds === undefined || Number.isNaN(seconds)) return undefined;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
}

/** Shorthand for the most common failure: a bad id or option, found before any call. */
export function invalidRequest(message: string): MirrorError {
  return new MirrorError('INVALID_REQUEST', message);
}

/** Shorthand for a setting that is missing or wrong; the message names it, never its value. */
export function misconfigured(message: string, cause?: unknown): MirrorError {
  return new MirrorError('MISCONFIGURED', message, { cause });
}
