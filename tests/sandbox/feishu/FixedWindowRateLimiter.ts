import type { RateWindow } from './endpoints';

/** Whether a call may go ahead, and if not what the `x-ogw-ratelimit-*` headers say. */
export type RateDecision = { allowed: true } | { allowed: false; limit: number; resetSeconds: number };

/**
 * Fixed-window counters aligned to the wall clock (a second window runs from one whole second
 * to the next), as the gateway keeps them: a burst may straddle two windows.
 *
 * @example
 * const limiter = new FixedWindowRateLimiter();
 * limiter.take('whiteboard', [{ ms: 1000, limit: 10 }], Date.now()); // { allowed: true }
 */
export class FixedWindowRateLimiter {
  readonly #counters = new Map<string, { window: number; count: number }>();

  /** Counts one call against every window of a key, unless one of them is full. */
  take(key: string, windows: readonly RateWindow[], now: number): RateDecision {
    const states = windows.map((rateWindow) => {
      const id = `${key}/${rateWindow.ms}`;
      const offsetMs = rateWindow.offsetMs ?? 0;
      const window = Math.floor((now + offsetMs) / rateWindow.ms);
      const counter = this.#counters.get(id);
      const count = counter !== undefined && counter.window === window ? counter.count : 0;
      const endsAt = (window + 1) * rateWindow.ms - offsetMs;
      return { id, window, count, rateWindow, endsAt };
    });
    const full = states.filter((s) => s.count >= s.rateWindow.limit);
    if (full.length > 0) {
      // When several windows are full, only the last to reset tells the client how long to wait.
      const answers = full.map((s) => ({
        limit: s.rateWindow.limit,
        resetSeconds: Math.max(1, Math.ceil((s.endsAt - now) / 1000)),
      }));
      const longest = answers.reduce((a, b) => (b.resetSeconds > a.resetSeconds ? b : a));
      return { allowed: false, ...longest };
    }
    // Refused calls are not counted, so a client that waits as told always gets through.
    for (const s of states) this.#counters.set(s.id, { window: s.window, count: s.count + 1 });
    return { allowed: true };
  }

  /** Forgets every window. */
  reset(): void {
    this.#counters.clear();
  }
}
