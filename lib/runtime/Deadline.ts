import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the invocation's context offers about time; absent on some direct calls in tests. */
export interface TimeSource {
  getRemainingTimeInMillis?: () => number;
}

/** Far above the calls one invocation has in flight: BATCH_CONCURRENCY (64) images, each with its parts. */
const MAX_CALLS_IN_FLIGHT = 1000;

/** Used when no Lambda context tells the time left (local scripts, some tests). */
const DEFAULT_BUDGET_MS = 60_000;

/**
 * The time an invocation may spend on Feishu and S3: the Lambda's remaining time less a
 * reserve for answering and cleaning up (aborting an upload), so the function always answers
 * before Lambda kills it.
 *
 * @example
 * const deadline = Deadline.fromContext(context);
 * await feishuHttp(url, { headers, signal: deadline.signal });
 */
export class Deadline {
  readonly endsAt: number;
  readonly signal: AbortSignal;

  /** `reserveMs`: the time kept back after the budget, for answering and cleaning up. */
  constructor(
    budgetMs: number,
    readonly reserveMs = 0,
  ) {
    // AbortSignal.timeout throws on a fractional delay: whole milliseconds only.
    const whole = Math.max(0, Math.floor(budgetMs));
    this.endsAt = Date.now() + whole;
    this.signal = AbortSignal.timeout(Math.max(1, whole));
    // Every S3, SSM and Feishu call in flight listens to it (a batch has dozens at once); Node
    // warns past 10 listeners, a leak detector that one invocation's own calls are not.
    setMaxListeners(MAX_CALLS_IN_FLIGHT, this.signal);
  }

  /**
   * The budget of an invocation: its remaining time (or `capMs`, when the caller stops
   * waiting sooner) less 10 % (at least 0.5 s, at most 3 s).
   */
  static fromContext(context?: TimeSource, capMs = Infinity): Deadline {
    const remaining = Math.min(capMs, context?.getRemainingTimeInMillis?.() ?? DEFAULT_BUDGET_MS);
    const reserve = Math.min(3000, Math.max(500, remaining * 0.1));
    return new Deadline(Math.max(0, remaining - reserve), reserve);
  }

  /**
   * The signal for cleaning up after the work failed (aborting a multipart upload): it lasts
   * past the deadline by half the reserve, so the cleanup still fits before the answer is due.
   */
  cleanupSignal(): AbortSignal {
    return AbortSignal.timeout(Math.max(1, Math.floor(this.remainingMs() + this.reserveMs / 2)));
  }

  /**
   * A deadline `ms` sooner, with the same reserve, for work that must leave time for what
   * follows it (writing a document's full answer to S3); this deadline when `ms` is 0.
   *
   * @example
   * const images = deadline.shortenedBy(2000); // the images stop 2 s before the invocation must
   */
  shortenedBy(ms: number): Deadline {
    return ms <= 0 ? this : new Deadline(this.remainingMs() - ms, this.reserveMs);
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - Date.now());
  }

  get expired(): boolean {
    return this.signal.aborted;
  }

  /** Whether waiting `ms` still leaves `thenNeedMs` for the work that follows. */
  allows(ms: number, thenNeedMs = 0): boolean {
    return ms + thenNeedMs < this.remainingMs();
  }

  /** Waits, but never past the deadline. */
  async wait(ms: number): Promise<void> {
    await sleep(Math.min(ms, this.remainingMs()));
  }
}
