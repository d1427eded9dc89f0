import type { IncomingMessage } from 'node:http';
import { keepAliveRequest } from '../runtime/keepAliveRequest';

/** A header lookup, as `Headers.get` does it (names in any case). */
export interface HeaderReader {
  get(name: string): string | null;
}

/** Feishu's answer with its body still to read: the part of a fetch `Response` the functions use. */
export interface FeishuHttpResponse {
  status: number;
  headers: HeaderReader;
  body: AsyncIterable<Uint8Array> | null;
}

/** Feishu's answers that are not images (errors, tokens) are small; reading more than this is pointless. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** One call to Feishu. */
export interface FeishuHttpRequest {
  method?: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the call, and the reading of its body, when the invocation's time runs out. */
  signal: AbortSignal;
}

/**
 * Sends one request to Feishu with Node's own HTTP client and resolves once the headers are
 * in, the body left to stream. Not `fetch`: loading it (undici) added about 35 ms to a cold
 * start's first request (docs/architecture.md, "What is hand-written, and why").
 *
 * @example
 * const response = await feishuHttp(url, { headers: { authorization: `Bearer ${token}` }, signal: deadline.signal });
 */
export function feishuHttp(url: string, init: FeishuHttpRequest): Promise<FeishuHttpResponse> {
  const target = new URL(url);
  const headers: Record<string, string | number> = { ...init.headers };
  if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
  return new Promise((resolve, reject) => {
    const request = keepAliveRequest(
      target,
      { method: init.method ?? 'GET', headers, signal: init.signal },
      (response) => {
        resolve(answerOf(response));
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

function answerOf(response: IncomingMessage): FeishuHttpResponse {
  return {
    status: response.statusCode ?? 0,
    headers: {
      get(name) {
        const value = response.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body: response,
  };
}

/**
 * The start of a body that is not an image (an error, a token), as text: at most `maxBytes`,
 * then the body is closed. Such answers are small; a longer one is never held whole.
 *
 * @example
 * const text = await readText(response, 64 * 1024);
 */
export async function readText(response: FeishuHttpResponse, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early closes the body (the iterator's return), releasing the connection.
  for await (const chunk of response.body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
