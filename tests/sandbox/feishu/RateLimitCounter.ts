import type { RateWindow } from './endpoints';

/** Whether a call may go ahead, and if not what the `x-ogw-ratelimit-*` headers say. */
export type RateDecision = { allowed: true } | { allowed: false; limit: number; resetSeconds: number };

/**
 * How the gateway counts a rate window; the platform does not say (docs/feishu-platform.md):
 * - `aligned`: fixed windows aligned to the wall clock (a second runs from one whole second to
 *   the next): a burst may straddle two windows, each within its limit.
 * - `sliding`: any span of the window's length, wherever it starts, holds at most the limit.
 * - `token-bucket`: a bucket of `limit` tokens, full at first, refilled evenly at `limit` per
 *   window; each call takes one.
 */
export type RateLimitCounting = 'aligned' | 'sliding' | 'token-bucket';

/** What one window's state answers: whether it is full, when it has room again, and how to count a call. */
interface WindowState {
  /** Ms until a call would be let in; 0 when one is now. */
  waitMs(now: number): number;
  count(now: number): void;
}

/**
 * Counts calls against rate windows as the gateway might, in one of the ways of
 * `RateLimitCounting`; a day's quota (a window with `offsetMs`) is always counted in the
 * calendar's days, as the platform documents it.
 *
 * @example
 * const limiter = new RateLimitCounter('sliding');
 * limiter.take('whiteboard', [{ ms: 1000, limit: 10 }], Date.now()); // { allowed: true }
 */
export class RateLimitCounter {
  readonly #counting: RateLimitCounting;
  readonly #states = new Map<string, WindowState>();

  constructor(counting: RateLimitCounting = 'aligned') {
    this.#counting = counting;
  }

  /** Counts one call against every window of a key, unless one of them is full. */
  take(key: string, windows: readonly RateWindow[], now: number): RateDecision {
    const states = windows.map((rateWindow) => ({ rateWindow, state: this.#stateOf(key, rateWindow) }));
    const full = states
      .map(({ rateWindow, state }) => ({ limit: rateWindow.limit, waitMs: state.waitMs(now) }))
      .filter(({ waitMs }) => waitMs > 0);
    if (full.length > 0) {
      // When several windows are full, only the last to reset tells the client how long to wait.
      const longest = full.reduce((a, b) => (b.waitMs > a.waitMs ? b : a));
      return { allowed: false, limit: longest.limit, resetSeconds: Math.max(1, Math.ceil(longest.waitMs / 1000)) };
    }
    // Refused calls are not counted, so a client that waits as told always gets through.
    for (const { state } of states) state.count(now);
    return { allowed: true };
  }

  /** Forgets every window. */
  reset(): void {
    this.#states.clear();
  }

  #stateOf(key: string, rateWindow: RateWindow): WindowState {
    const id = `${key}/${rateWindow.ms}`;
    let state = this.#states.get(id);
    if (state === undefined) {
      const counting = rateWindow.offsetMs === undefined ? this.#counting : 'aligned';
      state =
        counting === 'sliding'
          ? slidingWindow(rateWindow)
          : counting === 'token-bucket'
            ? tokenBucket(rateWindow)
            : alignedWindow(rateWindow);
      this.#states.set(id, state);
    }
    return state;
  }
}

function alignedWindow({ ms, limit, offsetMs = 0 }: RateWindow): WindowState {
  let current = { window: Number.NaN, count: 0 };
  const windowOf = (now: number) => Math.floor((now + offsetMs) / ms);
  const countIn = (now: number) => (current.window === windowOf(now) ? current.count : 0);
  return {
    waitMs: (now) => (countIn(now) < limit ? 0 : (windowOf(now) + 1) * ms - offsetMs - now),
    count: (now) => {
      current = { window: windowOf(now), count: countIn(now) + 1 };
    },
  };
}

/** The times of the calls let in within the last window: a call is let in while fewer than `limit` are. */
function slidingWindow({ ms, limit }: RateWindow): WindowState {
  const times: number[] = [];
  const forget = (now: number) => {
    while (times.length > 0 && times[0]! <= now - ms) times.shift();
  };
  return {
    waitMs: (now) => {
      forget(now);
      // Room comes back when all but limit - 1 of them have left the window.
      return times.length < limit ? 0 : times[times.length - limit]! + ms - now;
    },
    count: (now) => {
      times.push(now);
    },
  };
}

function tokenBucket({ ms, limit }: RateWindow): WindowState {
  let tokens = limit;
  let at = Number.NEGATIVE_INFINITY;
  const refill = (now: number) => {
    tokens = Math.min(limit, tokens + ((now - at) * limit) / ms);
    at = now;
  };
  return {
    waitMs: (now) => {
      refill(now);
      return tokens >= 1 ? 0 : ((1 - tokens) * ms) / limit;
    },
    count: (now) => {
      refill(now);
      tokens -= 1;
    },
  };
}
