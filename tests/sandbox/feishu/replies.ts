import { lookUpError } from './errorCatalog';

/** A body sent in chunks, produced on demand so a big one is never held whole. */
export interface StreamedBody {
  length: number;
  chunks: () => Iterable<Buffer>;
  /** Sent with chunked transfer encoding, without announcing its length. */
  chunked?: boolean;
}

/** An answer, ready to be written; the sender adds `X-Tt-Logid` and `Content-Length`. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | StreamedBody;
}

const jsonContentType = 'application/json; charset=utf-8';

/**
 * An error answer in the platform's shape, its `log_id` equal to the `X-Tt-Logid` header.
 *
 * @example
 * errorReply(400, 234005, undefined, logId); // msg from the catalog: 'image has been deleted'
 */
export function errorReply(
  status: number,
  code: number,
  msg: string | undefined,
  logId: string,
  headers: Record<string, string> = {},
): Reply {
  const body = {
    code,
    msg: msg ?? lookUpError(code).msg,
    error: { log_id: logId, troubleshooter: `https://open.feishu.cn/search?log_id=${logId}` },
  };
  return { status, headers: { 'Content-Type': jsonContentType, ...headers }, body: Buffer.from(JSON.stringify(body)) };
}

/**
 * A rate-limited answer with the headers the gateway adds.
 *
 * @example
 * rateLimitReply(429, 2890006, 10, 1, logId);
 */
export function rateLimitReply(
  status: number,
  code: number,
  limit: number,
  resetSeconds: number,
  logId: string,
): Reply {
  return errorReply(status, code, undefined, logId, {
    'x-ogw-ratelimit-limit': String(limit),
    'x-ogw-ratelimit-reset': String(resetSeconds),
  });
}

/**
 * A JSON answer, such as the token endpoint's.
 *
 * @example
 * jsonReply(200, { code: 0, msg: 'ok', tenant_access_token: 't-…', expire: 7200 });
 */
export function jsonReply(status: number, body: unknown): Reply {
  return { status, headers: { 'Content-Type': jsonContentType }, body: Buffer.from(JSON.stringify(body)) };
}

/**
 * The gateway's answer to a path it does not route: plain text, not JSON, exactly as Go's
 * `http.NotFound` writes it (trailing newline included).
 *
 * @example
 * notFoundReply(); // 404 '404 page not found\n'
 */
export function notFoundReply(): Reply {
  return {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    body: Buffer.from('404 page not found\n'),
  };
}

/**
 * A successful download; an undefined content type sends no Content-Type header at all.
 *
 * @example
 * contentReply(png, 'image/png');
 */
export function contentReply(body: Buffer | StreamedBody, contentType: string | undefined): Reply {
  return { status: 200, headers: contentType === undefined ? {} : { 'Content-Type': contentType }, body };
}
