import { type BatchAnswer, isBatchAnswer } from '../batch/BatchAnswer';
import type { ErrorBody } from '../errors/errorBody';
import { mirrorRequest, runBatch } from '../batch/runBatch';
import { MirrorError } from '../errors/MirrorError';
import { type DocumentAnswer, failedImagesOf, isDocumentAnswer } from '../mirror/DocumentAnswer';
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
 * A document's failed images count one by one, and so does a full answer it could not write to
 * S3 (the compact answer would lack the images' answers).
 */
function throwIfRetryable(answer: BatchAnswer): void {
  const retryable = answer.results.flatMap((result, index) =>
    errorsOf(result).flatMap((error) => (error.retryable ? [{ index, error }] : [])),
  );
  const chosen = retryable.find(({ error }) => error.code === 'RATE_LIMITED') ?? retryable[0];
  if (chosen === undefined) return;
  throw new MirrorError(
    chosen.error.code,
    `${retryable.length} of ${answer.results.length} items are still retryable after the function's own retries ` +
      `(item ${chosen.index + 1}: ${chosen.error.message}); send the batch again: stored images answer from S3`,
  );
}

/** The errors within a batch's result: its own, or a document's failed images' and its full answer's. */
function errorsOf(result: BatchAnswer['results'][number]): ErrorBody['error'][] {
  if ('error' in result) return [result.error];
  if (!isDocumentAnswer(result)) return [];
  const errors = failedImagesOf(result).map((image) => image.error);
  const { fullAnswer } = result;
  return fullAnswer !== undefined && 'error' in fullAnswer ? [...errors, fullAnswer.error] : errors;
}

/**
 * What failed within an answer: the items of a batch, the images of a document (nothing for one
 * image), the manifests of an S3 notification that could not be read as a whole (their failed
 * items are answered in their results files). A document's images count one by one, alone or as
 * items of a batch, by its counts: its compact form lists only some of them.
 */
export function failuresOf(answer: MirrorAnswer | DocumentAnswer | BatchAnswer | ManifestsAnswer): {
  failed: number;
  of: number;
  codes: string[];
} {
  if ('manifests' in answer) {
    const codes = answer.manifests.flatMap((manifest) => (manifest.error ? [manifest.error.code] : []));
    return { failed: codes.length, of: answer.manifests.length, codes: [...new Set(codes)] };
  }
  const parts = isBatchAnswer(answer) ? answer.results : isDocumentAnswer(answer) ? [answer] : [];
  let failed = 0;
  let of = 0;
  const codes = new Set<string>();
  for (const part of parts) {
    for (const error of errorsOf(part)) codes.add(error.code);
    if (isDocumentAnswer(part)) {
      failed += part.failed;
      of += part.succeeded + part.failed;
    } else {
      failed += 'error' in part ? 1 : 0;
      of += 1;
    }
  }
  return { failed, of, codes: [...codes] };
}
