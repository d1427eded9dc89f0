import type { EndpointDescription, RateLimit } from '../endpoints';
import type { MetricTally } from '../metrics/MetricTally';
import { MirrorError } from '../errors/MirrorError';
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
 * One limiter per endpoint for an invocation: its calls paced evenly (FeishuRateLimiter), and its
 * daily quota counted within the execution environment. `app` names the Feishu app (host and app
 * id), whose quota it is. With `budget`, the calls take their slots in the schedule every
 * invocation shares instead (SharedRateBudget), so the limits hold across all invocations
 * together; the budget paces the invocation on its own once the table failed. A call that
 * waited for its slot of the shared budget counts in `metrics` (SharedBudgetWaits,
 * SharedBudgetWaitTime).
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
        limiter = endpointLimiter(
          limit,
          `${app}|${endpoint.kind}`,
          budget ? timedWaits(budget.endpoint(endpoint.kind, limit), endpoint.kind, metrics) : ownPace(limit),
        );
        made.set(endpoint.kind, limiter);
      }
      return limiter;
    },
  };
}

/** The invocation's own pace, as the shared budget's interface: the quota is counted beside it. */
function ownPace(limit: RateLimit): EndpointBudget {
  const limiter = new FeishuRateLimiter(limit);
  return { take: (deadline, subject) => limiter.take(deadline, subject), quotaUsedUp: () => undefined };
}

/** The shared budget's slots, each wait for one of a millisecond or more counted in `metrics`. */
function timedWaits(shared: EndpointBudget, kind: string, metrics?: MetricTally): EndpointBudget {
  return {
    async take(deadline, subject) {
      const asked = Date.now();
      await shared.take(deadline, subject);
      const waitedMs = Date.now() - asked;
      if (waitedMs >= 1) {
        metrics?.add('SharedBudgetWaits', 1, { kind });
        metrics?.record('SharedBudgetWaitTime', waitedMs, { kind });
      }
    },
    quotaUsedUp: () => shared.quotaUsedUp(),
  };
}

/** Nothing to tell once a call is answered: its slot was its send. */
const answered: ReleaseCall = () => undefined;

function endpointLimiter(limit: RateLimit, quotaKey: string, pace: EndpointBudget): CallLimiter {
  return {
    async acquire(deadline, subject) {
      await pace.take(deadline, subject);
      if (limit.perDay === undefined) return answered;
      const now = Date.now();
      const today = feishuDayOf(now);
      const counted = callsToday.get(quotaKey);
      const calls = counted?.day === today ? counted.calls : 0;
      if (calls >= limit.perDay) throw dailyQuotaUsedUp(subject, limit.perDay, now);
      callsToday.set(quotaKey, { day: today, calls: calls + 1 });
      return answered;
    },
    quotaUsedUp() {
      if (limit.perDay !== undefined) callsToday.set(quotaKey, { day: feishuDayOf(Date.now()), calls: limit.perDay });
      pace.quotaUsedUp();
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
