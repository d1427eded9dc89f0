import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body, or undefined when it is larger than `maxBytes`.
 *
 * @example
 * const body = await readBody(request, 64 * 1024);
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
