import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimit } from '../endpoints';
import { MirrorError } from '../errors/MirrorError';
import type { Deadline } from '../runtime/Deadline';

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

/**
 * The room each window of Feishu's keeps for a call that reaches it later than its slot: its
 * send delayed, its way to Feishu slower than the call before's, or its invocation's clock off
 * from the one that took the slot before. 70 ms of a second keeps 93.5 % of a per-second limit;
 * the minute keeps the second its guard band always had.
 */
export const PACE_MARGIN_MS = { second: 70, minute: 1000 } as const;

/**
 * An endpoint's even schedule: one call every `intervalMs`, the same for every window it has.
 * A call may reach Feishu up to `toleranceMs` later than its slot (relative to the other calls)
 * and still no span of any window holds more than its limit.
 */
export interface Pace {
  intervalMs: number;
  toleranceMs: number;
}

/**
 * The pace of an endpoint: for each window of `ms` and `limit`, slots `(ms + margin) / limit`
 * apart keep any `limit + 1` consecutive calls more than `ms + margin` apart; the endpoint takes
 * the longest such interval (whole milliseconds, rounded up), and its tolerance is what the
 * tightest window has left of its margin.
 *
 * @example
 * paceOf({ perSecond: 50, perMinute: 1000 }); // { intervalMs: 61, toleranceMs: 1000 }
 * paceOf({ perSecond: 10 }); // { intervalMs: 107, toleranceMs: 70 }
 */
export function paceOf(limit: Pick<RateLimit, 'perSecond' | 'perMinute'>): Pace {
  const windows = [
    { ms: 1000, limit: limit.perSecond, marginMs: PACE_MARGIN_MS.second },
    ...(limit.perMinute === undefined ? [] : [{ ms: 60_000, limit: limit.perMinute, marginMs: PACE_MARGIN_MS.minute }]),
  ];
  const intervalMs = Math.max(...windows.map((window) => Math.ceil((window.ms + window.marginMs) / window.limit)));
  return { intervalMs, toleranceMs: Math.min(...windows.map((window) => window.limit * intervalMs - window.ms)) };
}

/** Tells the limiter that a call's answer (its status and headers) has arrived, or that it failed. */
export type ReleaseCall = () => void;

/**
 * Paces the calls of one invocation to an endpoint evenly (per second and per minute), whatever
 * window Feishu's gateway keeps: each call leaves one interval (`paceOf`) after the one before
 * it actually left, so no span of a second or a minute, aligned to the clock or not, sees more
 * than the limit, and a token bucket of the same limit never runs dry.
 *
 * Callers queue in order (first come, first served); a caller whose turn would come after its
 * deadline gets UPSTREAM_TIMEOUT at once rather than waiting for nothing.
 *
 * @example
 * const limiter = new FeishuRateLimiter({ perSecond: 10 });
 * await limiter.take(deadline, 'whiteboard thumbnail wb1');
 * await fetch(url);
 */
export class FeishuRateLimiter {
  readonly #pace: Pace;
  readonly #clock: LimiterClock;
  /** When the next call may leave. */
  #next = Number.NEGATIVE_INFINITY;
  #queue: Promise<void> = Promise.resolve();

  constructor(limit: Pick<RateLimit, 'perSecond' | 'perMinute'>, clock: LimiterClock = realClock) {
    this.#clock = clock;
    this.#pace = paceOf(limit);
  }

  /** Waits for the call's turn; the call is counted as sent when it resolves. */
  take(deadline: Deadline, subject: string): Promise<void> {
    const turn = this.#queue.then(() => this.#waitForSlot(deadline, subject));
    // The next caller waits for this one's turn, whether it got one or timed out.
    this.#queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** No call leaves before `time`: the slot after the last one handed out elsewhere (the shared budget). */
  notBefore(time: number): void {
    this.#next = Math.max(this.#next, time);
  }

  async #waitForSlot(deadline: Deadline, subject: string): Promise<void> {
    const slot = Math.max(this.#clock.now(), this.#next);
    // A timer may end a millisecond before the wall clock says it should: it is slept again.
    for (let now = this.#clock.now(); now < slot; now = this.#clock.now()) {
      if (deadline.expired || !deadline.allows(slot - now)) throw notStarted(subject);
      await this.#clock.sleep(slot - now, deadline.signal);
    }
    // From the time it leaves: a late timer never brings two calls closer than the interval.
    this.#next = this.#clock.now() + this.#pace.intervalMs;
  }
}
