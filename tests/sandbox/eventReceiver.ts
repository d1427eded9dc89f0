import { createHash } from 'node:crypto';
import { AESCipher } from '@larksuiteoapi/node-sdk';
import type { ReceivedRequest } from '../support/scriptedServer';

/** An event request as a receiver reads it, checked with the app's Encrypt Key. */
export interface ReadEvent {
  /** The event, decrypted with the Lark SDK's own cipher when the body was `{"encrypt": …}`. */
  event: unknown;
  encrypted: boolean;
  /** `X-Lark-Signature` is SHA-256 of timestamp + nonce + Encrypt Key + the raw bytes; false when absent. */
  signatureValid: boolean;
}

/**
 * Reads an event request the way a receiver must, with code of its own (the Lark SDK's cipher
 * and a signature computed here), so that the sandbox's sender is checked by a second party.
 *
 * @example
 * const { event, signatureValid } = readEvent(server.received[0], sandbox.encryptKey);
 */
export function readEvent(request: ReceivedRequest, encryptKey: string): ReadEvent {
  const parsed = JSON.parse(request.body.toString('utf8')) as { encrypt?: unknown };
  const encrypted = typeof parsed.encrypt === 'string';
  const event: unknown = encrypted ? JSON.parse(new AESCipher(encryptKey).decrypt(String(parsed.encrypt))) : parsed;
  const { 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce } = request.headers;
  const expected = createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${timestamp}${nonce}${encryptKey}`, 'utf8'), request.body]))
    .digest('hex');
  const signature = request.headers['x-lark-signature'];
  return { event, encrypted, signatureValid: signature !== undefined && signature === expected };
}
