import type { BatchAnswer } from '../batch/BatchAnswer';
import { mirrorRequest, runBatch } from '../batch/runBatch';
import type { DocumentAnswer } from '../mirror/DocumentAnswer';
import type { Invocation } from '../mirror/Invocation';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { isBatch, parseBatch } from '../request/parseBatch';
import { parseDirectPayload } from '../request/parseDirectPayload';

/**
 * Runs a payload or a batch, whichever the input is: a payload answers its MirrorAnswer or
 * throws its MirrorError; a batch answers every item (a batch wrong as a whole throws).
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
  return mirrorRequest(invocation, parseDirectPayload(input, endpoint, settings));
}

/** Whether an answer is a batch's. */
export function isBatchAnswer(answer: MirrorAnswer | DocumentAnswer | BatchAnswer): answer is BatchAnswer {
  return 'results' in answer;
}
