import { once } from 'node:events';
import type { ClientRequest, IncomingHttpHeaders } from 'node:http';
import { keepAliveRequest } from '../runtime/keepAliveRequest';
import { AwsServiceError } from './AwsServiceError';

/** A whole answer: AWS's answers to the calls made here are small (XML or JSON, or nothing). */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What to send. */
export interface HttpRequestInit {
  method: string;
  headers: Record<string, string>;
  /**
   * The body: bytes, or chunks written as they come (with `content-length` set by the caller).
   * When the chunks fail, the request is destroyed, so the server keeps nothing of it, and the
   * chunks' error is the rejection.
   */
  body?: Uint8Array | string | AsyncIterable<Uint8Array>;
  /** Rejects with `TooLarge` rather than read a longer answer. */
  maxBodyBytes?: number;
  /** Gives up when no byte moves for this long. */
  idleTimeoutMs?: number;
  /** The encoded path exactly as sent, in place of the URL's (which folds `.` and `..` segments). */
  path?: string;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * Sends one request with Node's own HTTP client over a kept-alive connection and reads the
 * whole answer. Network failures reject with Node's error (its `code` says what happened).
 *
 * @example
 * const { status, body } = await httpRequest(new URL('https://s3.amazonaws.com/'), { method: 'GET', headers: {} });
 */
export function httpRequest(url: URL, init: HttpRequestInit): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body !== undefined && !isStream(init.body)) headers['content-length'] = Buffer.byteLength(init.body);
    const path = init.path === undefined ? undefined : `${init.path}${url.search}`;
    const request = keepAliveRequest(url, { method: init.method, headers, ...(path === undefined ? {} : { path }) }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const tooLarge = () => {
        request.destroy();
        reject(new AwsServiceError('TooLarge', `the answer from ${url.host} is larger than ${init.maxBodyBytes} bytes`, 413));
      };
      if (init.maxBodyBytes !== undefined && Number(response.headers['content-length'] ?? 0) > init.maxBodyBytes) return tooLarge();
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (init.maxBodyBytes !== undefined && size > init.maxBodyBytes) return tooLarge();
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.setTimeout(init.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () => {
      request.destroy(Object.assign(new Error(`no answer from ${url.host} within ${init.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' }));
    });
    request.on('error', reject);
    if (isStream(init.body)) {
      writeChunks(request, init.body).then(() => request.end(), (error: unknown) => {
        request.destroy();
        reject(error);
      });
    } else {
      request.end(init.body);
    }
  });
}

function isStream(body: HttpRequestInit['body']): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

// Writes as fast as the connection takes them: the next chunk is read only once the socket
// has room, so a slow upload slows the download instead of filling memory.
async function writeChunks(request: ClientRequest, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of chunks) {
    if (request.destroyed) return;
    if (!request.write(chunk)) await once(request, 'drain');
  }
}
