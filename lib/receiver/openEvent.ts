import { MirrorError, invalidRequest } from '../errors/MirrorError';
import { decryptEvent } from './decryptEvent';
import { sameSecret, SIGNATURE_HEADERS, signatureMatches } from './eventSignature';
import type { RawRequest } from './readEventRequest';

/** What a request held, once proven to come from Feishu for this app. */
export type FeishuEvent =
  /** The console's check of the URL: answered with the challenge. */
  | { type: 'url_verification'; challenge: string }
  /** An event of schema 2.0, or of 1.0 (`app_ticket`, whose id is its `uuid`). */
  | { type: 'event'; eventId: string; eventType: string; event: Readonly<Record<string, unknown>> };

/** The secrets and facts a request is checked against. */
export interface EventKeys {
  encryptKey: string;
  verificationToken: string;
  appId: string;
  /** Epoch milliseconds now, for the timestamp's window. */
  now: number;
}

/** A signed request's timestamp may be this far ahead of our clock: clocks differ a little. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** Feishu retries for about 7 hours; a signed request older than this is a replay. */
export const MAX_REQUEST_AGE_SECONDS = 8 * 3600;

/**
 * Proves a request came from Feishu for this app and reads its event, in the order that does
 * the least work for a forgery: the signature over the raw body (with the timestamp within its
 * window), then decryption, then the Verification Token (compared in constant time), then the
 * schema and the app id. Failures are UNAUTHORIZED (signature, timestamp, token, app) or
 * INVALID_REQUEST (malformed), each saying what was wrong and never echoing the body. A request
 * without the signature headers may only be the console's url_verification, which Feishu does
 * not promise to sign; its token is checked all the same.
 *
 * @example
 * const opened = openEvent(request, { encryptKey, verificationToken, appId, now: Date.now() });
 */
export function openEvent(request: RawRequest, keys: EventKeys): FeishuEvent {
  const signed = checkSignature(request, keys);
  const outer = parseObject(request.body.toString('utf8'), 'the body');
  if (typeof outer.encrypt !== 'string') {
    throw invalidRequest('the body has no encrypt field: the app must send its events encrypted with its Encrypt Key');
  }
  const plaintext = decryptEvent(outer.encrypt, keys.encryptKey);
  if (plaintext === undefined) throw invalidRequest('the encrypt field does not decrypt with the Encrypt Key');
  const inner = parseObject(plaintext, 'the decrypted event');

  if (inner.type === 'url_verification') {
    checkToken(inner.token, keys);
    if (typeof inner.challenge !== 'string' || inner.challenge === '') {
      throw invalidRequest('the url_verification request has no challenge');
    }
    return { type: 'url_verification', challenge: inner.challenge };
  }
  if (!signed)
    throw unauthorized('the request is not signed (no X-Lark-Signature): only url_verification may be unsigned');
  return inner.schema === '2.0' ? eventOfSchema2(inner, keys) : eventOfSchema1(inner, keys);
}

/** Whether the request was signed; throws when it is signed wrongly or out of its time window. */
function checkSignature(request: RawRequest, keys: EventKeys): boolean {
  const timestamp = request.headers[SIGNATURE_HEADERS.timestamp];
  const nonce = request.headers[SIGNATURE_HEADERS.nonce];
  const signature = request.headers[SIGNATURE_HEADERS.signature];
  if (timestamp === undefined && nonce === undefined && signature === undefined) return false;
  if (timestamp === undefined || nonce === undefined || signature === undefined) {
    throw unauthorized(
      'the request carries only some of X-Lark-Request-Timestamp, X-Lark-Request-Nonce and X-Lark-Signature',
    );
  }
  if (!signatureMatches({ timestamp, nonce, signature: signature.toLowerCase() }, request.body, keys.encryptKey)) {
    throw unauthorized('the signature does not match the body: it was not signed with this Encrypt Key');
  }
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  const age = keys.now / 1000 - seconds;
  if (!(age >= -MAX_CLOCK_SKEW_SECONDS)) {
    throw unauthorized(`the request's timestamp is not a time, or more than ${MAX_CLOCK_SKEW_SECONDS} s ahead`);
  }
  if (age > MAX_REQUEST_AGE_SECONDS) {
    throw unauthorized(
      `the request's timestamp is older than Feishu's retries (${MAX_REQUEST_AGE_SECONDS / 3600} hours)`,
    );
  }
  return true;
}

function eventOfSchema2(inner: Record<string, unknown>, keys: EventKeys): FeishuEvent {
  const header = inner.header;
  if (typeof header !== 'object' || header === null) throw invalidRequest('the 2.0 event has no header');
  const fields = header as Record<string, unknown>;
  checkToken(fields.token, keys);
  checkApp(fields.app_id, keys);
  const eventId = text(fields.event_id, 'header.event_id');
  const eventType = text(fields.event_type, 'header.event_type');
  return { type: 'event', eventId, eventType, event: object(inner.event, 'event') };
}

function eventOfSchema1(inner: Record<string, unknown>, keys: EventKeys): FeishuEvent {
  if (inner.type !== 'event_callback') {
    throw invalidRequest('the event is neither of schema 2.0 nor a 1.0 event_callback');
  }
  checkToken(inner.token, keys);
  const event = object(inner.event, 'event');
  checkApp(event.app_id, keys);
  return { type: 'event', eventId: text(inner.uuid, 'uuid'), eventType: text(event.type, 'event.type'), event };
}

function checkToken(token: unknown, keys: EventKeys): void {
  if (typeof token !== 'string' || !sameSecret(token, keys.verificationToken)) {
    throw unauthorized("the event's token is not the app's Verification Token");
  }
}

function checkApp(appId: unknown, keys: EventKeys): void {
  if (appId !== keys.appId) throw unauthorized('the event is for another app than FEISHU_APP_ID');
}

function parseObject(json: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw invalidRequest(`${what} is not JSON`);
  }
  return object(parsed, what);
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidRequest(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 256) {
    throw invalidRequest(`${what} is missing or not a short string`);
  }
  return value;
}

function unauthorized(message: string): MirrorError {
  return new MirrorError('UNAUTHORIZED', message);
}
