import { createCipheriv, createHash } from 'node:crypto';
import { pngSignature } from './encodePng';

/** The largest body `big-<N>` serves: 1 GiB. */
export const bigBodyMaxBytes = 1024 * 1024 * 1024;

/** Big bodies are made and sent in chunks of this many bytes. */
export const bigBodyChunkBytes = 64 * 1024;

// AES-CTR over zeros is a fast, seekable, reproducible stream of pseudo-random bytes; the key
// is fixed so every run, and every test computing the expected hash, sees the same bytes.
const key = createHash('sha256').update('feishu-sandbox big body').digest().subarray(0, 16);
const iv = Buffer.alloc(16);
const zeros = Buffer.alloc(bigBodyChunkBytes);

/**
 * The body of `big-<n>`, generated on the fly: the PNG signature, then pseudo-random bytes,
 * exactly `min(n, 1 GiB)` bytes in all, in chunks of 64 KiB. Never holds the body in memory.
 *
 * @example
 * for (const chunk of bigBodyChunks(1_000_000)) response.write(chunk);
 */
export function* bigBodyChunks(n: number): Generator<Buffer> {
  const total = Math.min(Math.max(0, Math.floor(n)), bigBodyMaxBytes);
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  for (let sent = 0; sent < total; ) {
    const size = Math.min(bigBodyChunkBytes, total - sent);
    const chunk = cipher.update(zeros.subarray(0, size));
    // Clients may sniff the type from the first bytes: make them those of a PNG.
    if (sent === 0) pngSignature.copy(chunk, 0, 0, Math.min(pngSignature.length, size));
    yield chunk;
    sent += size;
  }
}

/**
 * The same bytes as the sandbox serves for `big-<n>`, for tests that compare without the server.
 *
 * @example
 * for await (const chunk of expectedBigBody(1024)) hash.update(chunk);
 */
export async function* expectedBigBody(n: number): AsyncIterable<Buffer> {
  yield* bigBodyChunks(n);
}

/**
 * The hex sha256 of the body the sandbox serves for `big-<n>`.
 *
 * @example
 * expect(sha256(downloaded)).toBe(bigBodySha256(67_108_864));
 */
export function bigBodySha256(n: number): string {
  const hash = createHash('sha256');
  for (const chunk of bigBodyChunks(n)) hash.update(chunk);
  return hash.digest('hex');
}
