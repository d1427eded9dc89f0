import { ERROR_CODES, type ErrorCode } from './errorCodes';
import { MirrorError } from './MirrorError';

/** The JSON body of every failure, over HTTP and in batch results. */
export interface ErrorBody {
  error: {
    code: MirrorError['code'];
    message: string;
    retryable: boolean;
    feishuCode?: number;
    feishuMsg?: string;
    logId?: string;
  };
}

/**
 * Turns anything thrown into a MirrorError: ours pass through, anything else is a defect
 * (INTERNAL_ERROR) whose original is kept as the cause for the log, not shown to callers.
 */
export function toMirrorError(thrown: unknown): MirrorError {
  if (thrown instanceof MirrorError) return thrown;
  return new MirrorError('INTERNAL_ERROR', 'an unexpected error occurred; the function log has the details', {
    cause: thrown,
  });
}

/**
 * The answer body of a failure that is answered but never thrown, made without an Error: thousands
 * of items answered at once when time runs out would each pay for a stack nobody reads.
 *
 * @example
 * failureBody('UPSTREAM_TIMEOUT', 'im image img_1: not started; … (send it again)');
 * // { error: { code: 'UPSTREAM_TIMEOUT', message: 'im image img_1: …', retryable: true } }
 */
export function failureBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message, retryable: ERROR_CODES[code].retryable } };
}

/** The answer body for a failure, with only the fields a caller may see. */
export function toErrorBody(error: MirrorError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.feishuCode === undefined ? {} : { feishuCode: error.feishuCode }),
      ...(error.feishuMsg === undefined ? {} : { feishuMsg: error.feishuMsg }),
      ...(error.logId === undefined ? {} : { logId: error.logId }),
    },
  };
}
