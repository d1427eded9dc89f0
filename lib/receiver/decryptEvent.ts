import { createDecipheriv, createHash } from 'node:crypto';

const IV_BYTES = 16;
const BLOCK_BYTES = 16;

/**
 * The plaintext of an `encrypt` field: base64 of a 16-byte IV followed by the AES-256-CBC
 * ciphertext (PKCS#7 padding), keyed by the SHA-256 of the Encrypt Key's UTF-8 bytes. Undefined
 * when the field is not such a ciphertext or does not decrypt with this key (the padding is
 * wrong), so that the caller answers one message for both.
 *
 * @example
 * decryptEvent('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key'); // 'hello world'
 */
export function decryptEvent(encrypt: string, encryptKey: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypt)) return undefined;
  const bytes = Buffer.from(encrypt, 'base64');
  const ciphertext = bytes.subarray(IV_BYTES);
  if (bytes.length < IV_BYTES + BLOCK_BYTES || ciphertext.length % BLOCK_BYTES !== 0) return undefined;
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  const decipher = createDecipheriv('aes-256-cbc', key, bytes.subarray(0, IV_BYTES));
  try {
    const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    const text = plain.toString('utf8');
    // A wrong key may still unpad by chance; its plaintext is then almost never valid UTF-8.
    return Buffer.from(text, 'utf8').equals(plain) ? text : undefined;
  } catch {
    return undefined;
  }
}
