import { createHash, timingSafeEqual } from 'node:crypto';

/** The headers Feishu signs an event request with (lower-cased, as the edge reads headers). */
export const SIGNATURE_HEADERS = {
  timestamp: 'x-lark-request-timestamp',
  nonce: 'x-lark-request-nonce',
  signature: 'x-lark-signature',
} as const;

/**
 * Whether `signature` is Feishu's signature of the request: the lower-case hex SHA-256 of the
 * UTF-8 bytes of timestamp, nonce and Encrypt Key, followed by the body's bytes exactly as
 * received. Compared in constant time. Written here rather than taken from Feishu's Node SDK,
 * which hashes the body re-serialised from its parsed JSON: a correctly signed body holding
 * whitespace or escaped characters then fails, and a forged one that serialises alike passes.
 *
 * @example
 * signatureMatches({ timestamp, nonce, signature }, rawBody, encryptKey); // true or false
 */
export function signatureMatches(
  headers: { timestamp: string; nonce: string; signature: string },
  body: Buffer,
  encryptKey: string,
): boolean {
  const expected = createHash('sha256')
    .update(Buffer.from(headers.timestamp + headers.nonce + encryptKey, 'utf8'))
    .update(body)
    .digest();
  if (!/^[0-9a-f]{64}$/.test(headers.signature)) return false;
  return timingSafeEqual(expected, Buffer.from(headers.signature, 'hex'));
}

/**
 * Whether two secrets are equal, in time that depends on neither's content: both are hashed
 * first, so their lengths are not told apart either.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
