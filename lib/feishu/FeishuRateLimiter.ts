import { setTimeout as sleep } from 'node:timers/promises';
import { MirrorError } from '../errors/MirrorError';
import type { Deadline } from '../runtime/Deadline';

/** At most `limit` calls in any `ms` milliseconds. */
interface RateWindow {
  ms: number;
  limit: number;
}

/** The limiter's sense of time; tests pass a simulated one. */
export interface LimiterClock {
  now(): number;
  /** Waits `ms`, or less when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The wall clock and real timers. */
export const realClock: LimiterClock = {
  now: Date.now,
  sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
};

/** The answer to a call whose turn would come after the invocation's deadline. */
export function notStarted(subject: string): MirrorError {
  return new MirrorError(
    'UPSTREAM_TIMEOUT',
    `${subject}: not started; Feishu's rate limit left no room for it in the time the invocation had left`,
  );
}

/** Tells the limiter that a call's answer (its status and headers) has arrived, or that it failed. */
export type ReleaseCall = () => void;

/**
 * Keeps the calls of one invocation within Feishu's limits for an endpoint (per second and per
 * minute), whatever window the gateway keeps.
 *
 * The gateway counts a call when it arrives, somewhere between our send and its answer. So a
 * call holds its place in a window from its send until `window` after its answer: a new call
 * may go when fewer than `limit` calls were answered within the last `window` or are still in
 * flight. Then no span of `window` on the gateway's clock, fixed or sliding, ever sees more
 * than `limit` arrivals, and the limit is used in full but for the calls' latency.
 *
 * Callers queue in order (first come, first served); a caller whose turn would come after its
 * deadline gets UPSTREAM_TIMEOUT at once rather than waiting for nothing.
 *
 * @example
 * const limiter = new FeishuRateLimiter({ perSecond: 10 });
 * const release = await limiter.acquire(deadline, 'whiteboard thumbnail wb1');
 * try { await fetch(url); } finally { release(); }
 */
export class FeishuRateLimiter {
  readonly #windows: readonly RateWindow[];
  readonly #longestMs: number;
  /** When each recent call was answered; Infinity while in flight. */
  readonly #calls: { answeredAt: number }[] = [];
  #queue: Promise<void> = Promise.resolve();
  #answered: () => void = () => undefined;
  #nextAnswer: Promise<void> = this.#renewAnswerSignal();

  readonly #clock: LimiterClock;

  constructor(limit: { perSecond: number; perMinute?: number }, clock: LimiterClock = realClock) {
    this.#clock = clock;
    this.#windows = [
      { ms: 1000, limit: limit.perSecond },
      ...(limit.perMinute === undefined ? [] : [{ ms: 60_000, limit: limit.perMinute }]),
    ];
    this.#longestMs = Math.max(...this.#windows.map((window) => window.ms));
  }

  /** Waits for the turn of one call and counts it; call the returned function once its answer came. */
  acquire(deadline: Deadline, subject: string): Promise<ReleaseCall> {
    const turn = this.#queue.then(() => this.#waitForRoom(deadline, subject));
    // The next caller waits for this one's turn, whether it got one or timed out.
    this.#queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  async #waitForRoom(deadline: Deadline, subject: string): Promise<ReleaseCall> {
    for (;;) {
      const now = this.#clock.now();
      this.#forgetOld(now);
      const waitMs = this.#waitMs(now);
      if (waitMs === 0) return this.#start();
      if (deadline.expired || (Number.isFinite(waitMs) && !deadline.allows(waitMs))) {
        throw notStarted(subject);
      }
      // Room comes back when a call is answered, or when an answered one leaves a window.
      const timer = new AbortController();
      await Promise.race([this.#clock.sleep(Math.min(waitMs, deadline.remainingMs()), timer.signal), this.#nextAnswer]);
      timer.abort();
    }
  }

  /** How long until every window has room: 0 now, Infinity when calls in flight fill one. */
  #waitMs(now: number): number {
    let wait = 0;
    for (const window of this.#windows) {
      const holding = this.#calls.filter((call) => call.answeredAt > now - window.ms).map((call) => call.answeredAt);
      if (holding.length < window.limit) continue;
      holding.sort((a, b) => a - b);
      // The window has room once all but limit - 1 of the holding calls have left it.
      const leaves = holding[holding.length - window.limit]! + window.ms - now;
      wait = Math.max(wait, leaves);
    }
    return wait;
  }

  #start(): ReleaseCall {
    const call = { answeredAt: Infinity };
    this.#calls.push(call);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      call.answeredAt = this.#clock.now();
      this.#answered();
    };
  }

  #forgetOld(now: number): void {
    let kept = 0;
    for (const call of this.#calls) if (call.answeredAt > now - this.#longestMs) this.#calls[kept++] = call;
    this.#calls.length = kept;
  }

  #renewAnswerSignal(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#answered = () => {
        this.#nextAnswer = this.#renewAnswerSignal();
        resolve();
      };
    });
  }
}
