import { request } from 'node:http';

/** One POST of an event and what came of it. */
export interface PostOutcome {
  /** The HTTP status answered; undefined when no answer came in time. */
  status?: number;
  /** Why there was no answer: `connect timeout`, `timeout`, a socket error, `cancelled`. */
  error?: string;
  /** The answer's body as text, at most `maxAnswerBytes`. */
  body?: string;
}

/** The limits of one POST. */
export interface PostLimits {
  /** From the start until the whole answer is in. */
  timeoutMs: number;
  /** From the start until the connection is open. */
  connectTimeoutMs: number;
  /** Aborts the POST at once (the sender is closing). */
  signal: AbortSignal;
}

/** The most of an answer kept; a receiver answers a few bytes of JSON. */
export const maxAnswerBytes = 16 * 1024;

/**
 * POSTs one body to an http:// URL on a connection of its own (closed afterwards, so nothing
 * lingers once the answer is in), as Feishu does: a connection not open within
 * `connectTimeoutMs`, or an answer not complete within `timeoutMs`, is abandoned. Never rejects.
 *
 * @example
 * const outcome = await postEvent(url, body, headers, { timeoutMs: 3000, connectTimeoutMs: 2000, signal });
 */
export function postEvent(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  limits: PostLimits,
): Promise<PostOutcome> {
  return new Promise((resolve) => {
    if (limits.signal.aborted) {
      resolve({ error: 'cancelled' });
      return;
    }
    let settled = false;
    const finish = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(answerTimer);
      clearTimeout(connectTimer);
      limits.signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ error: 'cancelled' });
    const answerTimer = setTimeout(() => finish({ error: 'timeout' }), limits.timeoutMs);
    const connectTimer = setTimeout(() => finish({ error: 'connect timeout' }), limits.connectTimeoutMs);
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'Content-Length': String(body.length), Connection: 'close' },
    });
    req.once('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.once('error', (error) => finish({ error: error.message }));
    req.once('response', (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on('data', (chunk: Buffer) => {
        if (kept >= maxAnswerBytes) return;
        chunks.push(chunk.subarray(0, maxAnswerBytes - kept));
        kept += chunk.length;
      });
      response.once('end', () => finish({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      response.once('error', (error) => finish({ status: response.statusCode, error: error.message }));
      // A connection closed before the end of the answer: no 'end' comes.
      response.once('close', () => finish({ status: response.statusCode, error: 'answer cut short' }));
    });
    limits.signal.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}
