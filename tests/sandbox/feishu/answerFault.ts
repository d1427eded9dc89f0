import type { IncomingHttpHeaders } from 'node:http';
import { genericInternalErrorCode, genericRateLimitCode, headerLimitOf, type EndpointDescription } from './endpoints';
import { lookUpError } from './errorCatalog';
import { errorReply, jsonReply, rateLimitReply, type Reply, type StreamedBody } from './replies';
import type { FaultKind } from './types';

/**
 * The token endpoint has no documented rate limit; a forced 429 there reports this window size.
 */
export const tokenEndpointHeaderLimit = 1000;

/** The faults that replace the answer outright; the others cut it, drop it or withhold it. */
export type ReplacingFault = Extract<FaultKind, { type: 'status' | 'rateLimit' | 'tokenError' | 'raw' | 'echo' }>;

function defaultCode(status: number, description: EndpointDescription | undefined): number {
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
export function answerFault(
  fault: ReplacingFault,
  description: EndpointDescription | undefined,
  logId: string,
  headers: IncomingHttpHeaders = {},
): Reply {
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
    case 'raw':
      return { status: fault.status, headers: fault.headers ?? {}, body: rawBody(fault.body) };
    case 'echo': {
      const header = (name: string): string => String(headers[name] ?? '');
      const msg = fault.msg
        .replaceAll('{authorization:uri}', encodeURIComponent(header('authorization')))
        .replaceAll('{authorization}', header('authorization'))
        .replaceAll('{helpdesk}', header('x-lark-helpdesk-authorization'));
      return errorReply(fault.status, fault.code, msg, logId);
    }
  }
}

function rawBody(body: Extract<FaultKind, { type: 'raw' }>['body']): Buffer | StreamedBody {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  const { length, chunk } = body;
  return {
    length,
    *chunks() {
      for (let sent = 0; sent < length; sent += chunk.length)
        yield chunk.subarray(0, Math.min(chunk.length, length - sent));
    },
  };
}
