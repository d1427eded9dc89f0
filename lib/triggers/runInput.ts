import type { BatchAnswer } from '../batch/BatchAnswer';
import type { ErrorBody } from '../errors/errorBody';
import { mirrorRequest, runBatch } from '../batch/runBatch';
import { MirrorError } from '../errors/MirrorError';
import type { DocumentAnswer } from '../mirror/DocumentAnswer';
import type { Invocation } from '../mirror/Invocation';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { isBatch, parseBatch } from '../request/parseBatch';
import { parseDirectPayload } from '../request/parseDirectPayload';
import { isDistributedMapBatch, parseDistributedMapBatch } from '../request/parseDistributedMapBatch';
import type { ManifestsAnswer } from './handleS3Manifests';

/**
 * Runs a payload or a batch, whichever the input is: a payload answers its MirrorAnswer or
 * throws its MirrorError; a batch, or a Distributed Map's batch, answers every item (a batch
 * wrong as a whole throws). A Distributed Map batch with `retryableItems: 'throw'` throws
 * instead when items are still retryable (see throwIfRetryable).
 *
 * @example
 * await runInput({ items: [{ imageKey: 'a' }, { imageKey: 'b' }] }, invocation); // { results, succeeded, failed }
 */
export async function runInput(
  input: unknown,
  invocation: Invocation,
): Promise<MirrorAnswer | DocumentAnswer | BatchAnswer> {
  const { endpoint, settings } = invocation;
  if (isBatch(input)) return runBatch(parseBatch(input, endpoint, settings), invocation);
  if (isDistributedMapBatch(input)) {
    const batch = parseDistributedMapBatch(input, endpoint, settings);
    const answer = await runBatch(batch.entries, invocation);
    if (batch.retryableItems === 'throw') throwIfRetryable(answer);
    return answer;
  }
  return mirrorRequest(invocation, parseDirectPayload(input, endpoint, settings));
}

/**
 * Throws when items of a batch are still retryable after the function's own retries, with the
 * error of one of them: a rate limit first, whose Retry waits longest. The state machine's Retry
 * on that name then sends the whole batch again, and the images already stored answer from S3:
 * a whole batch is the one unit a Distributed Map can send again, and its answer is one value.
 */
function throwIfRetryable(answer: BatchAnswer): void {
  // A document's images count one by one, as in failuresOf.
  const retryable = answer.results.flatMap((result, index) =>
    imagesOf(result).flatMap((part) =>
      'error' in part && (part as ErrorBody).error.retryable ? [{ index, error: (part as ErrorBody).error }] : [],
    ),
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
export function isBatchAnswer(answer: MirrorAnswer | DocumentAnswer | BatchAnswer): answer is BatchAnswer {
  return 'results' in answer;
}

/**
 * What failed within an answer: the items of a batch, the images of a document (nothing for one
 * image), the manifests of an S3 notification that could not be read as a whole (their failed
 * items are answered in their results files).
 */
export function failuresOf(answer: MirrorAnswer | DocumentAnswer | BatchAnswer | ManifestsAnswer): {
  failed: number;
  of: number;
  codes: string[];
} {
  const parts = partsOf(answer);
  const codes = parts.flatMap((part) => ('error' in part ? [(part as ErrorBody).error.code] : []));
  return { failed: codes.length, of: parts.length, codes: [...new Set(codes)] };
}

/** The parts of an answer that fail one by one. */
function partsOf(answer: MirrorAnswer | DocumentAnswer | BatchAnswer | ManifestsAnswer): readonly object[] {
  if ('manifests' in answer) return answer.manifests;
  // A document's images count one by one, alone or as items of a batch.
  if (isBatchAnswer(answer)) return answer.results.flatMap(imagesOf);
  return 'images' in answer ? answer.images : [];
}

/** A batch result's parts: a document's images one by one, else the result itself. */
function imagesOf(part: object): readonly object[] {
  return 'images' in part ? (part as DocumentAnswer).images : [part];
}
