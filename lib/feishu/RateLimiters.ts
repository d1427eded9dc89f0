import type { EndpointDescription, RateLimit } from '../endpoints';
import { MirrorError } from '../errors/MirrorError';
import type { MetricTally } from '../metrics/MetricTally';
import type { Deadline } from '../runtime/Deadline';
import { feishuDayOf, secondsUntilNextFeishuDay } from './feishuDay';
import { FeishuRateLimiter, type ReleaseCall } from './FeishuRateLimiter';
import type { EndpointBudget, SharedRateBudget } from './SharedRateBudget';

/** What keeps one endpoint's calls within Feishu's limit: a turn for each call, released once it is answered. */
export interface CallLimiter {
  /** Waits for the turn of one call and counts it; call the returned function once its answer came. */
  acquire(deadline: Deadline, subject: string): Promise<ReleaseCall>;
  /** Tells the limiter Feishu said the endpoint's daily quota is used up: no call is sent before the next day. */
  quotaUsedUp(): void;
}

/** The limiters of one invocation, one per Feishu endpoint it calls. */
export interface RateLimiters {
  of(endpoint: Pick<EndpointDescription<string>, 'kind'>): CallLimiter;
}

/**
 * The calls of the day to each endpoint with a daily quota, for the whole execution environment:
 * an invocation alone sees too little of a day to count it. The shared budget (RATE_LIMIT_TABLE)
 * counts it for every environment together.
 */
const callsToday = new Map<string, { day: number; calls: number }>();

/**
 * One limiter per endpoint for an invocation: its per-second and per-minute windows within the
 * invocation (FeishuRateLimiter), and its daily quota within the execution environment. `app`
 * names the Feishu app (host and app id), whose quota it is. With `budget`, each call also
 * takes a slot of the budget every invocation shares (SharedRateBudget), once the invocation's
 * own limiter let it go, so the limits hold across all invocations together; the invocation's
 * limiter keeps running underneath, and alone once the budget fell back. A call that waited for
 * the budget counts in `metrics` (SharedBudgetWaits, SharedBudgetWaitTime).
 *
 * @example
 * const limiters = invocationRateLimiters(settings.rateLimits, `${settings.feishuBaseUrl}|${settings.appId}`);
 * const release = await limiters.of(im).acquire(deadline, 'im image img_v3_01');
 */
export function invocationRateLimiters(
  limits: Readonly<Record<string, RateLimit>>,
  app: string,
  budget?: SharedRateBudget,
  metrics?: MetricTally,
): RateLimiters {
  const made = new Map<string, CallLimiter>();
  return {
    of(endpoint) {
      let limiter = made.get(endpoint.kind);
      if (!limiter) {
        const limit = limits[endpoint.kind];
        if (limit === undefined) throw new Error(`no rate limit is set for the ${endpoint.kind} endpoint`);
        limiter = endpointLimiter(limit, `${app}|${endpoint.kind}`);
        if (budget) limiter = withSharedBudget(limiter, budget.endpoint(endpoint.kind, limit), endpoint.kind, metrics);
        made.set(endpoint.kind, limiter);
      }
      return limiter;
    },
  };
}

function endpointLimiter(limit: RateLimit, quotaKey: string): CallLimiter {
  const windows = new FeishuRateLimiter(limit);
  return {
    async acquire(deadline, subject) {
      const release = await windows.acquire(deadline, subject);
      if (limit.perDay === undefined) return release;
      const now = Date.now();
      const today = feishuDayOf(now);
      const counted = callsToday.get(quotaKey);
      const calls = counted?.day === today ? counted.calls : 0;
      if (calls >= limit.perDay) {
        release();
        throw dailyQuotaUsedUp(subject, limit.perDay, now);
      }
      callsToday.set(quotaKey, { day: today, calls: calls + 1 });
      return release;
    },
    quotaUsedUp() {
      if (limit.perDay !== undefined) callsToday.set(quotaKey, { day: feishuDayOf(Date.now()), calls: limit.perDay });
    },
  };
}

/** The invocation's own limiter first, then a slot of the shared budget, taken just before the call is sent. */
function withSharedBudget(own: CallLimiter, shared: EndpointBudget, kind: string, metrics?: MetricTally): CallLimiter {
  return {
    async acquire(deadline, subject) {
      const release = await own.acquire(deadline, subject);
      const asked = Date.now();
      try {
        await shared.take(deadline, subject);
      } catch (error) {
        release();
        throw error;
      }
      const waitedMs = Date.now() - asked;
      if (waitedMs >= 1) {
        metrics?.add('SharedBudgetWaits', 1, { kind });
        metrics?.record('SharedBudgetWaitTime', waitedMs, { kind });
      }
      return release;
    },
    quotaUsedUp() {
      own.quotaUsedUp();
      shared.quotaUsedUp();
    },
  };
}

/**
 * The answer when the day's calls are spent: RATE_LIMITED until the next Feishu day, not worth
 * retrying before then.
 */
export function dailyQuotaUsedUp(subject: string, perDay: number, now: number): MirrorError {
  return new MirrorError(
    'RATE_LIMITED',
    `${subject}: the endpoint's daily quota of ${perDay} calls is used up until the next Feishu day (midnight UTC+8)`,
    { retryable: false, retryAfterSeconds: secondsUntilNextFeishuDay(now) },
  );
}

/** Forgets the day's counts; for tests that need a fresh execution environment. */
export function clearDailyCounts(): void {
  callsToday.clear();
}
