import type { ServerResponse } from 'node:http';
import type { Reply } from './replies';

/** A fault that cuts a body short: keep the full Content-Length, send fewer bytes. */
export type Truncation = { type: 'dropMidBody'; afterBytes: number } | { type: 'shortBody'; bytes: number };

function* bodyChunks(body: Reply['body'], limit: number): Iterable<Buffer> {
  const chunks = Buffer.isBuffer(body) ? [body] : body.chunks();
  let left = limit;
  for (const chunk of chunks) {
    if (left <= 0) return;
    yield chunk.length <= left ? chunk : chunk.subarray(0, left);
    left -= chunk.length;
  }
}

function isGone(response: ServerResponse): boolean {
  return response.destroyed || response.socket === null || response.socket.destroyed;
}

/** Writes one chunk and waits until the socket took it: the backpressure of a big body. */
function writeChunk(response: ServerResponse, chunk: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => resolve(false);
    response.once('close', onClose);
    response.write(chunk, (error) => {
      response.off('close', onClose);
      resolve(error === null || error === undefined);
    });
  });
}

/**
 * Writes a reply with its `X-Tt-Logid` and `Content-Length` (unless chunked), optionally cut short by a fault.
 * Resolves with the bytes of the body the socket took, once the body is handed to it or the
 * client has gone; never rejects.
 *
 * @example
 * await sendReply(response, contentReply(png, 'image/png'), newLogId());
 */
export async function sendReply(
  response: ServerResponse,
  reply: Reply,
  logId: string,
  truncation?: Truncation,
): Promise<number> {
  if (isGone(response)) return 0;
  const length = reply.body.length;
  const headers: Record<string, string> = { ...reply.headers };
  // A raw fault may bring its own log id header; it then stands alone, as sent.
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'x-tt-logid')) headers['X-Tt-Logid'] = logId;
  if (Buffer.isBuffer(reply.body) || !reply.body.chunked) headers['Content-Length'] = String(length);
  // Ending a short body normally would leave a keep-alive client waiting for the missing bytes
  // forever; closing the connection is what makes it notice.
  if (truncation?.type === 'shortBody') headers.Connection = 'close';
  response.writeHead(reply.status, headers);
  // Node holds the headers back until the first body write; a body cut at 0 bytes needs them out.
  if (truncation !== undefined) response.flushHeaders();

  const limit =
    truncation === undefined ? length : truncation.type === 'dropMidBody' ? truncation.afterBytes : truncation.bytes;
  let sent = 0;
  for (const chunk of bodyChunks(reply.body, limit)) {
    if (isGone(response) || !(await writeChunk(response, chunk))) return sent;
    sent += chunk.length;
  }
  if (truncation?.type === 'dropMidBody') {
    const socket = response.socket;
    if (socket === null) return sent;
    // Destroying discards what the socket still buffers; the client must get the bytes first.
    if (socket.writableLength > 0) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
    socket.destroy();
    return sent;
  }
  response.end();
  return sent;
}
