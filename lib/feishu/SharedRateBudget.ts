import type { CounterTable, CounterUpdate } from '../clients/Clients';
import type { RateLimit } from '../endpoints';
import type { MirrorError } from '../errors/MirrorError';
import type { Deadline } from '../runtime/Deadline';
import { logger } from '../runtime/logger';
import { redact } from '../runtime/redact';
import { feishuDayEnd, feishuDayOf } from './feishuDay';
import { notStarted, realClock, type LimiterClock } from './FeishuRateLimiter';
import { dailyQuotaUsedUp } from './RateLimiters';

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
/**
 * No call is sent this close to the end of its second, nor of its minute or Feishu day: it is
 * counted in the window it is sent in, and must reach Feishu before that window ends. 150 ms
 * covers a kept-alive request from AWS to Feishu and the clocks' skew; the longer windows lose
 * nothing by a longer margin, since they are bound by their count, not their time.
 */
export const GUARD_MS = { second: 150, minute: 1000, day: 1000 } as const;
/**
 * How long one request to the table may take before the invocation gives the shared budget up:
 * DynamoDB answers in milliseconds; this is for a table that is throttling (the SDK backs off and
 * retries) or unreachable, and leaves room for a busy execution environment.
 */
export const TABLE_TIMEOUT_MS = 2000;
/** The most of the table's latency counted when deciding a reservation would answer too late for its second. */
const MAX_LATENCY_ALLOWANCE_MS = 250;
/** The most slots one request reserves: half the window's limit, from 2 to this. */
const MAX_BLOCK = 25;
/** Old windows stay in the table this long past their end before DynamoDB's TTL may drop them. */
const TTL_MARGIN_SECONDS = 3600;

/** The counters of an endpoint's minute item: one per second of the minute, and the minute's own. */
const MINUTE_COUNTER = 'm';
const DAY_COUNTER = 'd';
const secondCounter = (second: number): string => `s${second % 60}`;

/** Slots this invocation holds in one window: `full` once the table said the window has no more. */
interface Pool {
  window: number;
  slots: number;
  full: boolean;
}

interface Waiter {
  deadline: Deadline;
  subject: string;
  resolve(): void;
  reject(error: MirrorError): void;
}

/** The shared budget of one endpoint within an invocation. */
export interface EndpointBudget {
  /**
   * Waits until a slot is held in every window of the endpoint, across all invocations, and the
   * call may be sent now; resolves at once once the invocation fell back to its own limiter.
   */
  take(deadline: Deadline, subject: string): Promise<void>;
  /** Marks the endpoint's day used up for every invocation, after Feishu said its quota is spent. */
  quotaUsedUp(): void;
}

export interface SharedBudgetOptions {
  clock?: LimiterClock;
  /** Default TABLE_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * One rate budget per app and Feishu endpoint, shared by every invocation of every function,
 * kept in DynamoDB (`RATE_LIMIT_TABLE`); one instance per invocation.
 *
 * Feishu counts calls in fixed windows aligned to its clock: whole seconds, whole minutes and,
 * for daily quotas, its day from midnight UTC+8. So do the counters: each endpoint has one item
 * per minute, `app|endpoint|60000|minute`, holding a counter per second of that minute and one
 * for the minute, and one item per day, `app|endpoint|day|day`. A reservation is one
 * unconditional UpdateItem that adds `n` to the second's and the minute's counters together and
 * reads their new values: the invocation was granted `clamp(limit - (new - n), 0, n)` slots of
 * each, the fewer of the two, for calls sent in that very second. Counts beyond the limit are
 * never granted, so no window gets more than its limit, whatever the number of writers; minute
 * slots counted but not granted because the second was full are given back. Slots are reserved
 * in small blocks (up to half the limit, at most 25, as many as calls are waiting), so a batch makes
 * far fewer requests than calls. A window the table calls full is not asked again before it ends.
 *
 * When the table throttles, fails or does not answer within `TABLE_TIMEOUT_MS`, the invocation
 * logs one warning and keeps Feishu's limits on its own for the rest of its life: images keep
 * being mirrored, and Feishu's rate-limit answers are handled as without the budget.
 *
 * @example
 * const budget = new SharedRateBudget(clients.counters('feishu-image-mirror-prod-rate-limits'), app);
 * await budget.endpoint('im', { perSecond: 50, perMinute: 1000 }).take(deadline, 'im image img_v3_01');
 */
export class SharedRateBudget {
  readonly #table: CounterTable;
  readonly #app: string;
  readonly #clock: LimiterClock;
  readonly #timeoutMs: number;
  #fellBack = false;
  /** Requests sent to the table by this invocation. */
  requests = 0;
  /** How long the table takes to answer: the slowest recent request, fading by a fifth at each new one. */
  latencyMs = 0;

  constructor(table: CounterTable, app: string, options: SharedBudgetOptions = {}) {
    this.#table = table;
    this.#app = app;
    this.#clock = options.clock ?? realClock;
    this.#timeoutMs = options.timeoutMs ?? TABLE_TIMEOUT_MS;
  }

  /** Whether the table failed once and the invocation keeps the limits on its own. */
  get fellBack(): boolean {
    return this.#fellBack;
  }

  /** The budget of one endpoint, named by its kind, with its limits. */
  endpoint(kind: string, limit: RateLimit): EndpointBudget {
    return endpointBudget(this, `${this.#app}|${kind}`, limit, this.#clock);
  }

  /** One request to the table; undefined when it failed (the budget then fell back) or the deadline passed. */
  async add(
    update: CounterUpdate,
    expiresAt: number,
    deadline?: Deadline,
  ): Promise<Record<string, number> | undefined> {
    if (this.#fellBack) return undefined;
    this.requests += 1;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const sent = this.#clock.now();
    try {
      const signal = deadline ? AbortSignal.any([deadline.signal, timeout]) : timeout;
      const used = await this.#table.add(update, expiresAt, signal);
      this.latencyMs = Math.max(this.#clock.now() - sent, this.latencyMs * 0.8);
      return used;
    } catch (error) {
      // Out of time is the invocation's end, not the table's failure.
      if (!deadline?.expired) this.#fallBack(error);
      return undefined;
    }
  }

  #fallBack(error: unknown): void {
    if (this.#fellBack) return;
    this.#fellBack = true;
    logger.warn('shared rate budget unavailable', {
      setting: 'RATE_LIMIT_TABLE',
      reason: 'the table failed, throttled or did not answer in time; this invocation keeps the limits on its own',
      errorName: error instanceof Error ? error.name : typeof error,
      cause: redact(error instanceof Error ? error.message : String(error)).slice(0, 500),
    });
  }
}

function endpointBudget(budget: SharedRateBudget, key: string, limit: RateLimit, clock: LimiterClock): EndpointBudget {
  const waiters: Waiter[] = [];
  let pumping = false;
  let second: Pool = { window: -1, slots: 0, full: false };
  /** Slots reserved for the next second while this one is full or ending, so its calls go as it starts. */
  let ahead: Pool = { window: -1, slots: 0, full: false };
  let day: Pool = { window: -1, slots: 0, full: false };
  let fullMinute = -1;
  const block = (windowLimit: number): number => Math.max(2, Math.min(MAX_BLOCK, Math.ceil(windowLimit / 2)));

  /** When the calls may go on: now (0), the end of a full window or of a guard band. */
  function blockedUntil(now: number): number {
    const s = Math.floor(now / SECOND_MS);
    const secondEnd = (s + 1) * SECOND_MS;
    if (secondEnd - now <= GUARD_MS.second) return secondEnd;
    // Slots held for this second were granted in the minute too: a full window holds back only the next ones.
    const holding = second.window === s && second.slots > 0;
    if (second.window === s && second.full && !holding) return secondEnd;
    if (limit.perMinute !== undefined) {
      const m = Math.floor(now / MINUTE_MS);
      const minuteEnd = (m + 1) * MINUTE_MS;
      if (minuteEnd - now <= GUARD_MS.minute || (fullMinute === m && !holding)) return minuteEnd;
    }
    if (limit.perDay !== undefined) {
      const dayEnd = feishuDayEnd(feishuDayOf(now));
      if (dayEnd - now <= GUARD_MS.day) return dayEnd;
    }
    return 0;
  }

  /** Reserves slots for calls sent in second `s` (the current one, or the next one `ahead`). */
  async function reserveSecond(s: number, deadline: Deadline): Promise<void> {
    const m = Math.floor((s * SECOND_MS) / MINUTE_MS);
    const n = Math.min(waiters.length, block(limit.perSecond));
    const counter = secondCounter(s);
    const update = { key: `${key}|${MINUTE_MS}|${m}`, counts: { [counter]: n } as Record<string, number> };
    if (limit.perMinute !== undefined) update.counts[MINUTE_COUNTER] = n;
    const expiresAt = Math.ceil(((m + 1) * MINUTE_MS) / 1000) + TTL_MARGIN_SECONDS;
    const used = await budget.add(update, expiresAt, deadline);
    if (used === undefined) return;
    const grantedSecond = granted(limit.perSecond, used[counter], n);
    const grantedMinute = limit.perMinute === undefined ? n : granted(limit.perMinute, used[MINUTE_COUNTER], n);
    const got = Math.min(grantedSecond, grantedMinute);
    // Slots that came back too late to be sent in their second are void: their minute slots go back.
    const late = clock.now() >= (s + 1) * SECOND_MS - GUARD_MS.second;
    const current = Math.floor(clock.now() / SECOND_MS);
    let pool = s > current ? ahead : second;
    if (pool.window !== s) pool = { window: s, slots: 0, full: false };
    if (!late) pool.slots += got;
    // A counter at its limit has nothing left: asking it again before its window ends would be a request for nothing.
    if ((used[counter] ?? Infinity) >= limit.perSecond) pool.full = true;
    if (s > current) ahead = pool;
    else second = pool;
    if (limit.perMinute !== undefined && (used[MINUTE_COUNTER] ?? Infinity) >= limit.perMinute) fullMinute = m;
    // The minute had room that the full second, or a late answer, could not use: back for the next seconds.
    const unused = grantedMinute - (late ? 0 : got);
    if (limit.perMinute !== undefined && unused > 0) {
      void budget.add({ key: update.key, counts: { [MINUTE_COUNTER]: -unused } }, expiresAt);
    }
  }

  /**
   * While the calls wait for the end of this second (full, or too near its end), reserves their
   * slots in the next one, so that they are sent as it starts rather than after a round trip.
   */
  async function reserveAhead(now: number, until: number, deadline: Deadline): Promise<void> {
    const next = Math.floor(now / SECOND_MS) + 1;
    if (until !== next * SECOND_MS || (ahead.window === next && (ahead.slots > 0 || ahead.full))) return;
    const minuteOfNext = Math.floor((next * SECOND_MS) / MINUTE_MS);
    // The last second of a minute is in the minute's guard band: nothing is sent in it.
    if (limit.perMinute !== undefined && (fullMinute === minuteOfNext || next % 60 === 59)) return;
    if (limit.perDay !== undefined && feishuDayEnd(feishuDayOf(now)) - next * SECOND_MS <= GUARD_MS.day) return;
    await reserveSecond(next, deadline);
  }

  async function reserveDay(now: number, deadline: Deadline, perDay: number): Promise<void> {
    const d = feishuDayOf(now);
    const n = Math.min(waiters.length, block(perDay));
    const expiresAt = Math.ceil(feishuDayEnd(d) / 1000) + TTL_MARGIN_SECONDS;
    const used = await budget.add({ key: `${key}|day|${d}`, counts: { [DAY_COUNTER]: n } }, expiresAt, deadline);
    if (used === undefined) return;
    const got = granted(perDay, used[DAY_COUNTER], n);
    if (day.window !== d) day = { window: d, slots: 0, full: false };
    day.slots += got;
    if ((used[DAY_COUNTER] ?? Infinity) >= perDay) day.full = true;
  }

  /** Turns away the waiters whose time ends before `until`, with the answer the local limiter gives. */
  function turnAway(until: number, now: number): void {
    for (let i = waiters.length - 1; i >= 0; i -= 1) {
      const waiter = waiters[i]!;
      if (waiter.deadline.expired || !waiter.deadline.allows(until - now)) {
        waiters.splice(i, 1);
        waiter.reject(notStarted(waiter.subject));
      }
    }
  }

  /** Sleeps until `until`, once the waiters whose time ends before it were turned away. */
  async function waitUntil(until: number, now: number): Promise<void> {
    turnAway(until, now);
    if (waiters.length > 0 && until > now) await clock.sleep(until - now, waiters[0]!.deadline.signal);
  }

  async function pump(): Promise<void> {
    pumping = true;
    try {
      while (waiters.length > 0) {
        if (budget.fellBack) {
          for (const waiter of waiters.splice(0)) waiter.resolve();
          return;
        }
        const now = clock.now();
        if (ahead.window === Math.floor(now / SECOND_MS)) {
          second = ahead;
          ahead = { window: -1, slots: 0, full: false };
        }
        turnAway(now, now);
        const first = waiters[0];
        if (first === undefined) return;
        if (limit.perDay !== undefined && day.window === feishuDayOf(now) && day.full && day.slots === 0) {
          for (const waiter of waiters.splice(0)) waiter.reject(dailyQuotaUsedUp(waiter.subject, limit.perDay, now));
          return;
        }
        const until = blockedUntil(now);
        if (until > now) {
          await reserveAhead(now, until, first.deadline);
          await waitUntil(until, clock.now());
          continue;
        }
        if (second.window !== Math.floor(now / SECOND_MS) || second.slots === 0) {
          // A request that would answer within the guard band would reserve slots for nothing.
          const secondEnd = (Math.floor(now / SECOND_MS) + 1) * SECOND_MS;
          const allowance = Math.min(budget.latencyMs, MAX_LATENCY_ALLOWANCE_MS);
          if (secondEnd - now <= GUARD_MS.second + allowance) {
            await reserveAhead(now, secondEnd, first.deadline);
            await waitUntil(secondEnd, clock.now());
          } else {
            await reserveSecond(Math.floor(now / SECOND_MS), first.deadline);
          }
          continue;
        }
        if (limit.perDay !== undefined && (day.window !== feishuDayOf(now) || day.slots === 0)) {
          await reserveDay(now, first.deadline, limit.perDay);
          continue;
        }
        second.slots -= 1;
        if (limit.perDay !== undefined) day.slots -= 1;
        waiters.shift()!.resolve();
      }
    } finally {
      pumping = false;
    }
  }

  return {
    take(deadline, subject) {
      if (budget.fellBack) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiters.push({ deadline, subject, resolve, reject });
        // Started after the calls queued in the same tick, so that one request reserves for them all.
        if (!pumping) {
          pumping = true;
          queueMicrotask(() => void pump());
        }
      });
    },
    quotaUsedUp() {
      if (limit.perDay === undefined) return;
      const d = feishuDayOf(clock.now());
      day = { window: d, slots: 0, full: true };
      const expiresAt = Math.ceil(feishuDayEnd(d) / 1000) + TTL_MARGIN_SECONDS;
      void budget.add({ key: `${key}|day|${d}`, counts: { [DAY_COUNTER]: limit.perDay } }, expiresAt);
    },
  };
}

/** The slots of `n` asked that a window of `limit` had left, given the counter's value after adding them. */
function granted(limit: number, counted: number | undefined, n: number): number {
  if (counted === undefined || !Number.isFinite(counted)) return 0;
  return Math.max(0, Math.min(n, limit - (counted - n)));
}
