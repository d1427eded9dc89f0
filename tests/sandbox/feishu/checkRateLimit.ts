import { type EndpointDescription, feishuDayMs, feishuDayOffsetMs, type RateWindow } from './endpoints';
import type { RateLimitCounter } from './RateLimitCounter';
import { rateLimitReply, type Reply } from './replies';

/** What the rate limits of a request need. */
export interface RateContext {
  limiter: RateLimitCounter;
  /** False when the sandbox was started with `rateLimits: false`; the daily quota holds either way. */
  rateLimits: boolean;
  /** The daily quota of the endpoints that keep one; changed at runtime by `setDriveMediaDailyQuota`. */
  dailyQuota: { limit: number };
}

/**
 * Counts a call against its endpoint's windows (and daily quota) and answers 429 with the
 * `x-ogw-ratelimit-*` headers when one of them is full. A refused call counts against none of
 * them, so a call refused for the per-second rate does not spend the day's quota.
 *
 * @example
 * const refused = checkRateLimit(describeEndpoint('driveMedia'), context, Date.now(), logId);
 * if (refused !== undefined) return refused;
 */
export function checkRateLimit(
  description: EndpointDescription,
  context: RateContext,
  now: number,
  logId: string,
): Reply | undefined {
  const windows: RateWindow[] = context.rateLimits ? [...description.rateWindows] : [];
  if (description.dailyQuota)
    windows.push({ ms: feishuDayMs, limit: context.dailyQuota.limit, offsetMs: feishuDayOffsetMs });
  if (windows.length === 0) return undefined;
  const decision = context.limiter.take(description.name, windows, now);
  if (decision.allowed) return undefined;
  return rateLimitReply(429, description.rateLimitCode, decision.limit, decision.resetSeconds, logId);
}
