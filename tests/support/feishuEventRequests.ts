import { randomUUID } from 'node:crypto';
import { encryptEventBody, sandboxEventApp, signEventRequest } from '../sandbox/feishu';
import { loadEvent } from './loadEvent';

/** The sandbox app's event secrets, as startFeishuSandbox configures them by default. */
export const EVENT_SECRETS = {
  appId: sandboxEventApp.appId,
  encryptKey: 'sandbox-encrypt-key-0000',
  verificationToken: sandboxEventApp.verificationToken,
} as const;

/** How a test request departs from what Feishu sends. */
export interface EventRequestOptions {
  /** The Encrypt Key the body is encrypted and signed with. */
  encryptKey?: string;
  /** Whether the body is `{"encrypt": …}` (Feishu's) or the event's own JSON. */
  encrypt?: boolean;
  /** Whether the JSON is sent indented (a signature over re-serialised JSON then fails). */
  whitespace?: boolean;
  /** `none` leaves the three headers out; `wrong` signs with another key. */
  signature?: 'valid' | 'none' | 'wrong';
  /** The signed timestamp, in epoch seconds. */
  timestampSeconds?: number;
  /** The body sent instead of the event's (it is signed all the same). */
  rawBody?: string;
}

/** The body and the Feishu headers of a request carrying `event`, as Feishu sends it. */
export function feishuEventRequest(
  event: unknown,
  options: EventRequestOptions = {},
): { body: string; headers: Record<string, string> } {
  const encryptKey = options.encryptKey ?? EVENT_SECRETS.encryptKey;
  const indent = options.whitespace ? 2 : undefined;
  const payload = options.encrypt === false ? event : { encrypt: encryptEventBody(encryptKey, JSON.stringify(event)) };
  const body = options.rawBody ?? JSON.stringify(payload, null, indent);
  if (options.signature === 'none') return { body, headers: {} };
  const timestamp = String(options.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const nonce = randomUUID();
  const key = options.signature === 'wrong' ? 'not-the-encrypt-key' : encryptKey;
  const signature = signEventRequest({ timestamp, nonce, encryptKey: key, body: Buffer.from(body, 'utf8') });
  return {
    body,
    headers: { 'X-Lark-Request-Timestamp': timestamp, 'X-Lark-Request-Nonce': nonce, 'X-Lark-Signature': signature },
  };
}

/**
 * The API Gateway REST event of Feishu posting `event` to `POST /feishu/events`
 * (`apigw-rest/feishu-events.json`), its body base64-encoded when `base64` says so.
 */
export function restFeishuEvent(
  event: unknown,
  options: EventRequestOptions & { base64?: boolean } = {},
): Record<string, unknown> {
  const { body, headers } = feishuEventRequest(event, options);
  const fixture = loadEvent<{ headers: Record<string, string>; multiValueHeaders: Record<string, string[]> }>(
    'apigw-rest/feishu-events.json',
  );
  const all = { ...withoutLarkHeaders(fixture.headers), ...headers };
  return {
    ...fixture,
    headers: all,
    multiValueHeaders: Object.fromEntries(Object.entries(all).map(([name, value]) => [name, [value]])),
    body: options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 === true,
  };
}

/** The Function URL event of Feishu posting `event` (`function-url/feishu-events.json`), headers lower-cased. */
export function functionUrlFeishuEvent(
  event: unknown,
  options: EventRequestOptions & { base64?: boolean } = {},
): Record<string, unknown> {
  const { body, headers } = feishuEventRequest(event, options);
  const fixture = loadEvent<{ headers: Record<string, string> }>('function-url/feishu-events.json');
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    ...fixture,
    headers: { ...withoutLarkHeaders(fixture.headers), ...lower, 'content-length': String(Buffer.byteLength(body)) },
    body: options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 === true,
  };
}

function withoutLarkHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^x-lark-/i.test(name)));
}
