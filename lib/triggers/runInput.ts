import type { BatchAnswer } from '../batch/BatchAnswer';
import { runBatch } from '../batch/runBatch';
import { MirrorError } from '../errors/MirrorError';
import type { Invocation } from '../mirror/Invocation';
import { mirrorLogged } from '../mirror/mirrorLogged';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { isBatch, parseBatch } from '../request/parseBatch';
import { parseDirectPayload } from '../request/parseDirectPayload';
import { isDistributedMapBatch, parseDistributedMapBatch } from '../request/parseDistributedMapBatch';

/**
 * Runs a payload or a batch, whichever the input is: a payload answers its MirrorAnswer or
 * throws its MirrorError; a batch, or a Distributed Map's batch, answers every item (a batch
 * wrong as a whole throws). A Distributed Map batch with `retryableItems: 'throw'` throws
 * instead when items are still retryable (see throwIfRetryable).
 *
 * @example
 * await runInput({ items: [{ imageKey: 'a' }, { imageKey: 'b' }] }, invocation); // { results, succeeded, failed }
 */
export async function runInput(input: unknown, invocation: Invocation): Promise<MirrorAnswer | BatchAnswer> {
  const { endpoint, settings } = invocation;
  if (isBatch(input)) return runBatch(parseBatch(input, endpoint, settings), invocation);
  if (isDistributedMapBatch(input)) {
    const batch = parseDistributedMapBatch(input, endpoint, settings);
    const answer = await runBatch(batch.entries, invocation);
    if (batch.retryableItems === 'throw') throwIfRetryable(answer);
    return answer;
  }
  return (await mirrorLogged(invocation, parseDirectPayload(input, endpoint, settings))).answer;
}

/**
 * Throws when items of a batch are still retryable after the function's own retries, with the
 * error of one of them: a rate limit first, whose Retry waits longest. The state machine's Retry
 * on that name then sends the whole batch again, and the images already stored answer from S3:
 * a whole batch is the one unit a Distributed Map can send again, and its answer is one value.
 */
function throwIfRetryable(answer: BatchAnswer): void {
  const retryable = answer.results.flatMap((result, index) =>
    'error' in result && result.error.retryable ? [{ index, error: result.error }] : [],
  );
  const chosen = retryable.find(({ error }) => error.code === 'RATE_LIMITED') ?? retryable[0];
  if (chosen === undefined) return;
  throw new MirrorError(
    chosen.error.code,
    `${retryable.length} of ${answer.results.length} items are still retryable after the function's own retries ` +
      `(item ${chosen.index + 1}: ${chosen.error.message}); send the batch again: stored images answer from S3`,
  );
}

/** Whether an answer is a batch's. */
export function isBatchAnswer(answer: MirrorAnswer | BatchAnswer): answer is BatchAnswer {
  return 'results' in answer;
}
