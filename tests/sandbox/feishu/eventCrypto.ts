/**
 * Feishu's event encryption and signature, written from the platform's documentation alone
 * and sharing no code with the receiver, so that the receiver is tested against a second
 * implementation rather than against itself:
 * - the key is SHA-256 of the Encrypt Key's UTF-8 bytes;
 * - `encrypt` is base64 of a random 16-byte IV followed by the AES-256-CBC ciphertext (PKCS#7);
 * - `X-Lark-Signature` is lowercase hex SHA-256 of `timestamp + nonce + encryptKey` then the raw
 *   body bytes exactly as sent.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The signature headers of one event request. */
export interface EventSignatureInput {
  /** Seconds since the epoch, as sent in `X-Lark-Request-Timestamp`. */
  timestamp: string;
  /** As sent in `X-Lark-Request-Nonce`. */
  nonce: string;
  encryptKey: string;
  /** The request body, byte for byte. */
  body: Buffer;
}

function aesKeyOf(encryptKey: string): Buffer {
  return createHash('sha256').update(encryptKey, 'utf8').digest();
}

/**
 * The `encrypt` value of an event body: base64(IV ‖ AES-256-CBC(plaintext)), a fresh IV unless given.
 *
 * @example
 * JSON.stringify({ encrypt: encryptEventBody('sandbox-encrypt-key-0000', JSON.stringify(event)) });
 */
export function encryptEventBody(encryptKey: string, plaintext: string, iv: Buffer = randomBytes(16)): string {
  if (iv.length !== 16) throw new Error(`the IV must be 16 bytes, got ${iv.length}`);
  const cipher = createCipheriv('aes-256-cbc', aesKeyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/**
 * The plaintext of an `encrypt` value; throws when it is not one made with this key.
 *
 * @example
 * decryptEventBody('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk='); // 'hello world'
 */
export function decryptEventBody(encryptKey: string, encrypt: string): string {
  const bytes = Buffer.from(encrypt, 'base64');
  if (bytes.length < 32 || bytes.length % 16 !== 0) throw new Error('not an encrypted event body');
  const decipher = createDecipheriv('aes-256-cbc', aesKeyOf(encryptKey), bytes.subarray(0, 16));
  return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8');
}

/**
 * The `X-Lark-Signature` of an event request.
 *
 * @example
 * signEventRequest({ timestamp: '1700000000', nonce: 'n1', encryptKey, body: Buffer.from(body) }); // 64 hex digits
 */
export function signEventRequest({ timestamp, nonce, encryptKey, body }: EventSignatureInput): string {
  return createHash('sha256')
    .update(Buffer.from(timestamp + nonce + encryptKey, 'utf8'))
    .update(body)
    .digest('hex');
}
