import { genericInternalErrorCode, genericRateLimitCode, headerLimitOf, type DownloadEndpointDescription } from './endpoints';
import { lookUpError } from './errorCatalog';
import { errorReply, jsonReply, rateLimitReply, type Reply } from './replies';
import type { FaultKind } from './types';

/**
 * The token endpoint has no documented rate limit; a forced 429 there reports this window size.
 */
export const tokenEndpointHeaderLimit = 1000;

/** The faults that replace the answer outright; the others cut it, drop it or withhold it. */
export type ReplacingFault = Extract<FaultKind, { type: 'status' | 'rateLimit' | 'tokenError' }>;

function defaultCode(status: number, description: DownloadEndpointDescription | undefined): number {
  if (status === 429) return description?.rateLimitCode ?? genericRateLimitCode;
  if (status >= 500) return description?.internalErrorCode ?? genericInternalErrorCode;
  return description?.invalidParam.code ?? 10003;
}

/**
 * The answer a replacing fault forces. Codes left out default to the endpoint's own: its
 * rate-limit code for 429, its internal code for 5xx, its invalid-param code otherwise (the
 * token endpoint: 99991400, 1, 10003).
 *
 * @example
 * answerFault({ type: 'status', status: 503 }, describeEndpoint('baike'), logId); // 503/1540002
 */
export function answerFault(fault: ReplacingFault, description: DownloadEndpointDescription | undefined, logId: string): Reply {
  switch (fault.type) {
    case 'status': {
      const code = fault.code ?? defaultCode(fault.status, description);
      return errorReply(fault.status, code, fault.msg ?? (fault.status >= 500 ? 'internal error' : undefined), logId);
    }
    case 'rateLimit': {
      const status = fault.status ?? 429;
      const code = fault.code ?? description?.rateLimitCode ?? genericRateLimitCode;
      const limit = description === undefined ? tokenEndpointHeaderLimit : headerLimitOf(description);
      return rateLimitReply(status, code, limit, fault.resetSeconds, logId);
    }
    case 'tokenError':
      return jsonReply(200, { code: fault.code, msg: fault.msg ?? lookUpError(fault.code).msg });
  }
}
