import type { Deadline } from '../runtime/Deadline';

/** At most this many calls for one download or one token, whatever the reasons to retry. */
export const MAX_ATTEMPTS = 4;

/** A retry is only worth it if at least this much time remains after the wait. */
export const MIN_CALL_MS = 1000;

const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 4000;

/**
 * The wait before retry number `attempt` (1 for the first retry): Feishu's own reset when it
 * gave one (plus a little jitter so that concurrent callers do not return in lockstep), else
 * exponential backoff with full jitter.
 */
export function retryDelayMs(attempt: number, resetSeconds?: number, random: () => number = Math.random): number {
  if (resetSeconds !== undefined) return resetSeconds * 1000 + Math.floor(random() * 250);
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Waits before retry number `attempt` when another attempt is allowed and the wait still
 * leaves time for a call; answers whether to retry.
 *
 * @example
 * if (await waitBeforeRetry(attempt, deadline, failure.resetSeconds)) continue;
 */
export async function waitBeforeRetry(attempt: number, deadline: Deadline, resetSeconds?: number): Promise<boolean> {
  if (attempt >= MAX_ATTEMPTS) return false;
  const delay = retryDelayMs(attempt, resetSeconds);
  if (!deadline.allows(delay, MIN_CALL_MS)) return false;
  await deadline.wait(delay);
  return true;
}
