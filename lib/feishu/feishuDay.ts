/** Feishu counts its daily quotas in its own day, which starts at midnight in UTC+8. */
const FEISHU_DAY_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * The number of the Feishu day a moment falls in (days since 1970-01-01 in UTC+8).
 *
 * @example
 * feishuDayOf(Date.parse('2026-12-01T15:59:59Z')); // the same day as 2026-12-01T00:00+08:00
 */
export function feishuDayOf(now: number): number {
  return Math.floor((now + FEISHU_DAY_OFFSET_MS) / DAY_MS);
}

/**
 * When the Feishu day after `day` starts, in ms since the epoch.
 *
 * @example
 * feishuDayEnd(feishuDayOf(Date.parse('2026-12-01T15:59:59Z'))); // Date.parse('2026-12-01T16:00:00Z')
 */
export function feishuDayEnd(day: number): number {
  return (day + 1) * DAY_MS - FEISHU_DAY_OFFSET_MS;
}

/**
 * Seconds from `now` until the next Feishu day starts (midnight in UTC+8), at least 1.
 *
 * @example
 * secondsUntilNextFeishuDay(Date.parse('2026-12-01T15:59:00Z')); // 60
 */
export function secondsUntilNextFeishuDay(now: number): number {
  const next = feishuDayEnd(feishuDayOf(now));
  return Math.max(1, Math.ceil((next - now) / 1000));
}
