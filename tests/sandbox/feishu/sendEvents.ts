/**
 * Feishu's side of event delivery: every event POSTed to the app's one event URL, encrypted and
 * signed; an answer other than HTTP 200 within 3 s (2 s to connect) is a failure, retried after
 * about 15 s, 5 min, 1 h and 6 h (at most 4 retries); and since delivery is at least once, the
 * same event may come again after a success.
 */
import { randomBytes } from 'node:crypto';
import { delay } from './delay';
import { encryptEventBody, signEventRequest } from './eventCrypto';
import { type EventApp, urlVerification } from './feishuEvents';
import { postEvent, type PostOutcome } from './postEvent';

/** Feishu's retry schedule after a failed delivery. */
export const feishuRetryDelaysMs: readonly number[] = [15_000, 300_000, 3_600_000, 21_600_000];

/** Feishu retries a failed delivery at most this many times. */
export const maxRetries = 4;

/** The most redeliveries after a success one delivery makes, whatever it is asked. */
export const maxRedeliveries = 10;

/** How long Feishu waits for the answer to url_verification. */
export const urlVerificationTimeoutMs = 1000;

export interface EventSenderOptions {
  /** The app's event URL, http:// only. */
  url: string;
  encryptKey: string;
  verificationToken: string;
  appId: string;
  /** Default `sandbox-tenant-key-0000`: the tenant the app is installed in. */
  tenantKey?: string;
  /** Default Feishu's [15 s, 5 min, 1 h, 6 h]; only the first four are used. */
  retryDelaysMs?: readonly number[];
  /** Default 3000: the whole answer must be in within this. */
  timeoutMs?: number;
  /** Default 2000: the connection must be open within this. */
  connectTimeoutMs?: number;
}

/** How one event is sent; the defaults are Feishu's. */
export interface DeliveryOptions {
  /**
   * Default 0: after the first success, send the same event this many times more (each a new
   * request), at most {@link maxRedeliveries}.
   */
  redeliverAfterSuccess?: number;
  /** Default: the first retry delay. The wait before each redelivery. */
  redeliverDelayMs?: number;
  /** Default true: send `{"encrypt": …}`; false sends the event's JSON itself. */
  encrypt?: boolean;
  /** Default `valid`: the signature headers; `none` leaves all three out, `wrong` signs other bytes. */
  signature?: 'valid' | 'none' | 'wrong';
  /** Default false: the JSON of the body indented, so that only its raw bytes match the signature. */
  whitespace?: boolean;
  /** Default now: the `X-Lark-Request-Timestamp`, in seconds (a stale one for replay tests). */
  timestampSeconds?: number;
}

/** One POST of an event, as the sender saw it. */
export interface DeliveryAttempt {
  /** 0 for the first, then 1 to 4 for retries; redeliveries count on from the success. */
  number: number;
  kind: 'first' | 'retry' | 'redelivery';
  /** When it was sent, ms since the epoch. */
  at: number;
  durationMs: number;
  /** The HTTP status answered within the timeout, if any. */
  status?: number;
  /** Why no answer counted: `timeout`, `connect timeout`, a socket error, `cancelled`. */
  error?: string;
  /** The body answered, as text. */
  body?: string;
  /** HTTP 200 within the timeout. */
  ok: boolean;
}

/** One event on its way: its attempts so far (the array grows), and the promise of the end. */
export interface Delivery {
  /** `header.event_id` of a 2.0 event, `uuid` of a 1.0 one, '' for anything else. */
  eventId: string;
  event: unknown;
  attempts: DeliveryAttempt[];
  /** No attempt is left to make: the last retry or redelivery is made, or the sender closed. */
  ended: boolean;
  /** Resolves once the first attempt is recorded (a `cancelled` one when the sender closed before it). */
  firstAttempt: Promise<DeliveryAttempt>;
  /** Resolves with every attempt once the last retry or redelivery is made, or the sender closed. */
  done: Promise<DeliveryAttempt[]>;
}

/** The answer to url_verification, checked as Feishu checks it. */
export interface UrlVerificationResult {
  ok: boolean;
  challenge: string;
  attempt: DeliveryAttempt;
}

/**
 * Throws unless the URL is one the sender can POST to: http://, as every local receiver is.
 *
 * @example
 * checkEventUrl('http://localhost:3000/feishu/events');
 */
export function checkEventUrl(url: string): void {
  if (!URL.canParse(url) || new URL(url).protocol !== 'http:')
    throw new Error(`the event URL must be http://, got '${url}'`);
}

function cancelledAttempt(): DeliveryAttempt {
  return { number: 0, kind: 'first', at: Date.now(), durationMs: 0, error: 'cancelled', ok: false };
}

function eventIdOf(event: unknown): string {
  if (typeof event !== 'object' || event === null) return '';
  const { header, uuid } = event as { header?: { event_id?: unknown }; uuid?: unknown };
  if (typeof header?.event_id === 'string') return header.event_id;
  return typeof uuid === 'string' ? uuid : '';
}

/**
 * Sends events to one event URL as Feishu does. Every wait and request ends when `close()` is called.
 *
 * @example
 * const sender = new EventSender({ url, encryptKey, verificationToken, appId, retryDelaysMs: [50, 50] });
 * const attempts = await sender.deliver(messageReceived({ ...imageMessage(), chatId: 'oc_1' }));
 * await sender.close();
 */
export class EventSender {
  readonly url: string;
  readonly app: EventApp;
  readonly #encryptKey: string;
  readonly #retryDelaysMs: readonly number[];
  readonly #timeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #closing = new AbortController();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(options: EventSenderOptions) {
    checkEventUrl(options.url);
    this.url = options.url;
    this.app = {
      appId: options.appId,
      verificationToken: options.verificationToken,
      tenantKey: options.tenantKey ?? 'sandbox-tenant-key-0000',
    };
    this.#encryptKey = options.encryptKey;
    this.#retryDelaysMs = (options.retryDelaysMs ?? feishuRetryDelaysMs).slice(0, maxRetries);
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  }

  /**
   * Delivers an event and resolves with every attempt: the first, the retries after failures,
   * and the redeliveries after the success.
   */
  deliver(event: unknown, options: DeliveryOptions = {}): Promise<DeliveryAttempt[]> {
    return this.start(event, options).done;
  }

  /** Starts delivering an event and returns at once, its attempts filling in as they are made. */
  start(event: unknown, options: DeliveryOptions = {}): Delivery {
    let firstRecorded: (attempt: DeliveryAttempt) => void = () => undefined;
    const firstAttempt = new Promise<DeliveryAttempt>((resolve) => {
      firstRecorded = resolve;
    });
    const delivery: Delivery = {
      eventId: eventIdOf(event),
      event,
      attempts: [],
      ended: false,
      firstAttempt,
      done: Promise.resolve([]),
    };
    const record = (attempt: DeliveryAttempt, last: boolean): void => {
      delivery.attempts.push(attempt);
      // Set with the last attempt, so whoever awaited that attempt sees the end too.
      if (last) delivery.ended = true;
      firstRecorded(attempt);
    };
    const run = async (): Promise<DeliveryAttempt[]> => {
      try {
        await this.#run(event, options, record);
      } finally {
        delivery.ended = true;
        firstRecorded(cancelledAttempt());
      }
      return delivery.attempts;
    };
    delivery.done = this.#track(run());
    return delivery;
  }

  /**
   * Sends url_verification with this app's Verification Token, as Feishu does when the event URL
   * is saved: once, encrypted, unsigned, and ok only for HTTP 200 with `{"challenge": <same>}`
   * within 1 s.
   */
  async verifyUrl(challenge: string = randomBytes(12).toString('hex')): Promise<UrlVerificationResult> {
    const request = urlVerification(challenge, this.app.verificationToken);
    const attempt = await this.#track(
      this.#attempt(request, { signature: 'none' }, 0, 'first', Math.min(this.#timeoutMs, urlVerificationTimeoutMs)),
    );
    let answered: unknown;
    try {
      answered = JSON.parse(attempt.body ?? '');
    } catch {
      answered = undefined;
    }
    const echoed = (answered as { challenge?: unknown } | undefined)?.challenge === challenge;
    return { ok: attempt.ok && echoed, challenge, attempt };
  }

  /** Cancels every wait and request in flight and resolves once every delivery has ended. */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.all(this.#pending);
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
    return promise;
  }

  /** Makes the attempts of one delivery; `record` learns of each, and whether it is the last. */
  async #run(
    event: unknown,
    options: DeliveryOptions,
    record: (attempt: DeliveryAttempt, last: boolean) => void,
  ): Promise<void> {
    const signal = this.#closing.signal;
    const asked = Math.floor(Number(options.redeliverAfterSuccess ?? 0));
    const redeliveries = Number.isFinite(asked) ? Math.min(maxRedeliveries, Math.max(0, asked)) : 0;
    const redeliverDelayMs = options.redeliverDelayMs ?? this.#retryDelaysMs[0] ?? 0;
    const waits = [0, ...this.#retryDelaysMs];
    let number = 0;
    for (const [index, wait] of waits.entries()) {
      if (wait > 0 && !(await delay(wait, signal))) return;
      const attempt = await this.#attempt(event, options, number, number === 0 ? 'first' : 'retry');
      number += 1;
      if (attempt.ok) {
        record(attempt, redeliveries === 0);
        break;
      }
      record(attempt, index === waits.length - 1 || signal.aborted);
      if (signal.aborted || index === waits.length - 1) return;
    }
    for (let i = 0; i < redeliveries; i++) {
      if (!(await delay(redeliverDelayMs, signal))) return;
      record(await this.#attempt(event, options, number, 'redelivery'), i === redeliveries - 1 || signal.aborted);
      number += 1;
    }
  }

  async #attempt(
    event: unknown,
    options: DeliveryOptions,
    number: number,
    kind: DeliveryAttempt['kind'],
    timeoutMs = this.#timeoutMs,
  ): Promise<DeliveryAttempt> {
    const { body, headers } = this.#request(event, options);
    const at = Date.now();
    const started = performance.now();
    const outcome: PostOutcome = await postEvent(this.url, body, headers, {
      timeoutMs,
      connectTimeoutMs: Math.min(this.#connectTimeoutMs, timeoutMs),
      signal: this.#closing.signal,
    });
    const durationMs = Math.round(performance.now() - started);
    return { number, kind, at, durationMs, ...outcome, ok: outcome.status === 200 && outcome.error === undefined };
  }

  /** The bytes and headers of one request; a fresh timestamp, nonce and IV every time, as Feishu's. */
  #request(event: unknown, options: DeliveryOptions): { body: Buffer; headers: Record<string, string> } {
    const payload =
      options.encrypt === false ? event : { encrypt: encryptEventBody(this.#encryptKey, JSON.stringify(event)) };
    const body = Buffer.from(options.whitespace === true ? JSON.stringify(payload, null, 2) : JSON.stringify(payload));
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': 'Go-http-client/1.1',
    };
    const signature = options.signature ?? 'valid';
    if (signature === 'none') return { body, headers };
    const timestamp = String(options.timestampSeconds ?? Math.floor(Date.now() / 1000));
    const nonce = randomBytes(8).toString('hex');
    const signed = signature === 'wrong' ? Buffer.concat([body, Buffer.from(' ')]) : body;
    headers['X-Lark-Request-Timestamp'] = timestamp;
    headers['X-Lark-Request-Nonce'] = nonce;
    headers['X-Lark-Signature'] = signEventRequest({ timestamp, nonce, encryptKey: this.#encryptKey, body: signed });
    return { body, headers };
  }
}
