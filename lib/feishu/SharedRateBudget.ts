import type { CounterTable, CounterUpdate, ScheduleMove } from '../clients/Clients';
import type { RateLimit } from '../endpoints';
import type { MirrorError } from '../errors/MirrorError';
import type { MetricTally } from '../metrics/MetricTally';
import type { Deadline } from '../runtime/Deadline';
import { logger } from '../runtime/logger';
import { redact } from '../runtime/redact';
import { feishuDayEnd, feishuDayOf } from './feishuDay';
import { FeishuRateLimiter, notStarted, paceOf, realClock, type LimiterClock } from './FeishuRateLimiter';
import { dailyQuotaUsedUp } from './RateLimiters';

/**
 * No call is sent this close to the end of a Feishu day: it is counted in the day it is sent in,
 * and must reach Feishu before that day ends. 1 s covers a kept-alive request from AWS to Feishu
 * and the clocks' skew, and costs a daily quota nothing, since its count, not its time, binds it.
 */
export const GUARD_MS = { day: 1000 } as const;
/**
 * How long one request to the table may take before the invocation gives the shared budget up:
 * DynamoDB answers in milliseconds; this is for a table that is throttling (the SDK backs off and
 * retries) or unreachable, and leaves room for a busy execution environment.
 */
export const TABLE_TIMEOUT_MS = 2000;
/** The most slots one request reserves; fewer when they would span more than BLOCK_SPAN_MS. */
const MAX_BLOCK = 25;
/** A block of slots spans at most this much of the schedule, so an invocation holds little of it ahead. */
const BLOCK_SPAN_MS = 1000;
/** The most of the table's latency by which a reservation starts the idle schedule ahead of now. */
const MAX_LATENCY_ALLOWANCE_MS = 250;
/** Tries of one reservation: the schedule may be restarted or moved on by another invocation in between. */
const MOVE_TRIES = 4;
/** Old items stay in the table this long past their last slot or day before DynamoDB's TTL may drop them. */
const TTL_MARGIN_SECONDS = 3600;

/** The attribute of an endpoint's schedule item holding its next free slot, in ms since the epoch. */
const NEXT_SLOT = 't';
const DAY_COUNTER = 'd';

/** Slots this invocation holds: `next`, `next + interval`, … before `end`. */
interface Block {
  next: number;
  end: number;
}

/** The day's calls this invocation holds: `full` once the table said the day has no more. */
interface DayPool {
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
   * Waits for the call's slot in the endpoint's schedule, shared by every invocation, and
   * resolves when the call may be sent; once the invocation fell back, waits for its own pace.
   */
  take(deadline: Deadline, subject: string): Promise<void>;
  /** Marks the endpoint's day used up for every invocation, after Feishu said its quota is spent. */
  quotaUsedUp(): void;
}

export interface SharedBudgetOptions {
  clock?: LimiterClock;
  /** Default TABLE_TIMEOUT_MS. */
  timeoutMs?: number;
  /** The invocation's metrics, where falling back counts once (SharedBudgetFallbacks). */
  metrics?: MetricTally;
}

/**
 * One rate budget per app and Feishu endpoint, shared by every invocation of every function,
 * kept in DynamoDB (`RATE_LIMIT_TABLE`); one instance per invocation.
 *
 * Each endpoint has one schedule of slots, `intervalMs` apart (`paceOf`: long enough for its
 * per-second and per-minute limits both), kept as one number in the table: the time of its next
 * free slot, in the item `app|endpoint|pace`. A reservation takes `k` consecutive slots in one
 * conditional UpdateItem: it moves the number on by `k × interval` when it stands now or later,
 * or to `now + k × interval` when it stands in the past (the schedule idled), and the slots
 * between the old and the new value are the invocation's alone. Each call is sent at its own
 * slot, so no span of a second or a minute, aligned or sliding, sees more than the limit, and
 * a token bucket of the limit never runs dry (docs/triggers.md, "The shared rate budget").
 * Blocks of slots (as many as calls wait, at most a second of the schedule and 25) keep the
 * requests far fewer than the calls. Daily quotas are counted per Feishu day, in
 * `app|endpoint|day|day`.
 *
 * When the table throttles, fails or does not answer within `TABLE_TIMEOUT_MS`, the invocation
 * logs one warning and paces its calls on its own for the rest of its life (FeishuRateLimiter),
 * from the slot after the last one it was given: images keep being mirrored, and Feishu's
 * rate-limit answers are handled as without the budget.
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
  readonly #metrics: MetricTally | undefined;
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
    this.#metrics = options.metrics;
  }

  /** Whether the table failed once and the invocation keeps the limits on its own. */
  get fellBack(): boolean {
    return this.#fellBack;
  }

  /** The budget of one endpoint, named by its kind, with its limits. */
  endpoint(kind: string, limit: RateLimit): EndpointBudget {
    return endpointBudget(this, `${this.#app}|${kind}`, limit, this.#clock);
  }

  /** Adds to counters; undefined when the table failed (the budget then fell back) or the deadline passed. */
  add(update: CounterUpdate, expiresAt: number, deadline?: Deadline): Promise<Record<string, number> | undefined> {
    return this.#request((signal) => this.#table.add(update, expiresAt, signal), deadline);
  }

  /**
   * Moves a schedule on; 'refused' when its condition did not hold, undefined when the table
   * failed (the budget then fell back) or the deadline passed.
   */
  async move(move: ScheduleMove, expiresAt: number, deadline: Deadline): Promise<number | 'refused' | undefined> {
    const moved = await this.#request(
      async (signal) => (await this.#table.move(move, expiresAt, signal)) ?? ('refused' as const),
      deadline,
    );
    return moved;
  }

  async #request<T>(send: (signal: AbortSignal) => Promise<T>, deadline?: Deadline): Promise<T | undefined> {
    if (this.#fellBack) return undefined;
    this.requests += 1;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const sent = this.#clock.now();
    try {
      const answer = await send(deadline ? AbortSignal.any([deadline.signal, timeout]) : timeout);
      this.latencyMs = Math.max(this.#clock.now() - sent, this.latencyMs * 0.8);
      return answer;
    } catch (error) {
      // Out of time is the invocation's end, not the table's failure.
      if (!deadline?.expired) this.#fallBack(error);
      return undefined;
    }
  }

  #fallBack(error: unknown): void {
    if (this.#fellBack) return;
    this.#fellBack = true;
    this.#metrics?.add('SharedBudgetFallbacks', 1, {});
    logger.warn('shared rate budget unavailable', {
      setting: 'RATE_LIMIT_TABLE',
      reason: 'the table failed, throttled or did not answer in time; this invocation keeps the limits on its own',
      errorName: error instanceof Error ? error.name : typeof error,
      cause: redact(error instanceof Error ? error.message : String(error)).slice(0, 500),
    });
  }
}

function endpointBudget(budget: SharedRateBudget, key: string, limit: RateLimit, clock: LimiterClock): EndpointBudget {
  const { intervalMs, toleranceMs } = paceOf(limit);
  /** A slot passed by more than this is void: half the tolerance, the other half kept for the way to Feishu. */
  const lateMs = toleranceMs / 2;
  const blockSize = Math.max(1, Math.min(MAX_BLOCK, Math.floor(BLOCK_SPAN_MS / intervalMs)));
  const waiters: Waiter[] = [];
  const blocks: Block[] = [];
  let pumping = false;
  let reserving: Promise<void> | undefined;
  /** Where this invocation last saw the schedule's next free slot: which move to try first. */
  let seenNext = Number.NEGATIVE_INFINITY;
  /** The slot of the last call let go, from which the invocation's own pace goes on if the table fails. */
  let lastSlot = Number.NEGATIVE_INFINITY;
  let day: DayPool = { window: -1, slots: 0, full: false };
  let own: FeishuRateLimiter | undefined;

  const slotsHeld = (): number =>
    blocks.reduce((sum, block) => sum + Math.max(0, Math.round((block.end - block.next) / intervalMs)), 0);

  /** The first slot held that is not void by `now`, dropping the void ones; undefined when none is held. */
  function firstSlot(now: number): number | undefined {
    while (blocks.length > 0) {
      const block = blocks[0]!;
      while (block.next < block.end && block.next < now - lateMs) block.next += intervalMs;
      if (block.next < block.end) return block.next;
      blocks.shift();
    }
    return undefined;
  }

  /**
   * Reserves `count` consecutive slots in one conditional write: on from the schedule's next free
   * slot when that is no earlier than the answer can come back, else from then (the table's
   * latency ahead of now). Another invocation may have moved it between this one's guess and its
   * write: then the other move is tried.
   */
  async function reserve(count: number, deadline: Deadline): Promise<void> {
    const span = count * intervalMs;
    const from = () => clock.now() + Math.min(budget.latencyMs, MAX_LATENCY_ALLOWANCE_MS);
    let append = seenNext >= from();
    for (let attempt = 0; attempt < MOVE_TRIES; attempt += 1) {
      const start = from();
      const move: ScheduleMove = append
        ? { key: `${key}|pace`, name: NEXT_SLOT, by: span, ifAtLeast: start }
        : { key: `${key}|pace`, name: NEXT_SLOT, to: start + span, ifBelow: start };
      const end = Math.max(start, seenNext) + span;
      const moved = await budget.move(move, Math.ceil(end / 1000) + TTL_MARGIN_SECONDS, deadline);
      if (moved === undefined) return;
      if (moved === 'refused') {
        append = !append;
        continue;
      }
      seenNext = moved;
      blocks.push({ next: moved - span, end: moved });
      return;
    }
  }

  async function reserveDay(now: number, deadline: Deadline, perDay: number): Promise<void> {
    const d = feishuDayOf(now);
    const n = Math.min(waiters.length, blockSize);
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

  /** The invocation's own pace, from the slot after the last one the table gave it. */
  function ownPace(): FeishuRateLimiter {
    if (own === undefined) {
      own = new FeishuRateLimiter(limit, clock);
      own.notBefore(lastSlot + intervalMs);
    }
    return own;
  }

  async function pump(): Promise<void> {
    pumping = true;
    try {
      while (waiters.length > 0) {
        if (budget.fellBack) {
          const pace = ownPace();
          for (const waiter of waiters.splice(0))
            pace.take(waiter.deadline, waiter.subject).then(waiter.resolve, waiter.reject);
          return;
        }
        const now = clock.now();
        turnAway(now, now);
        const first = waiters[0];
        if (first === undefined) return;
        const d = feishuDayOf(now);
        if (limit.perDay !== undefined && day.window === d && day.full && day.slots === 0) {
          for (const waiter of waiters.splice(0)) waiter.reject(dailyQuotaUsedUp(waiter.subject, limit.perDay, now));
          return;
        }
        // More calls wait than slots are held: the next block is asked for as the held ones run out,
        // a round trip ahead, so that the calls go on without a gap and the blocks stay whole.
        const wanted = waiters.length - slotsHeld();
        const heldUntil = blocks.length > 0 ? blocks[blocks.length - 1]!.end : now;
        const lead = MAX_LATENCY_ALLOWANCE_MS + budget.latencyMs;
        if (wanted > 0 && reserving === undefined && heldUntil - now < lead) {
          reserving = reserve(Math.min(wanted, blockSize), first.deadline).finally(() => {
            reserving = undefined;
          });
        }
        const slot = firstSlot(now);
        if (slot === undefined) {
          await reserving;
          continue;
        }
        if (slot > now) {
          turnAway(slot, now);
          if (waiters.length > 0) await clock.sleep(slot - now, waiters[0]!.deadline.signal);
          continue;
        }
        if (limit.perDay !== undefined) {
          // A call this near the day's end could reach Feishu in the next day, uncounted there.
          if (feishuDayEnd(d) - now <= GUARD_MS.day) {
            blocks[0]!.next += intervalMs;
            continue;
          }
          if (day.window !== d || day.slots === 0) {
            await reserveDay(now, first.deadline, limit.perDay);
            continue;
          }
          day.slots -= 1;
        }
        blocks[0]!.next += intervalMs;
        lastSlot = slot;
        waiters.shift()!.resolve();
      }
    } finally {
      pumping = false;
    }
  }

  return {
    take(deadline, subject) {
      if (budget.fellBack) return ownPace().take(deadline, subject);
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
