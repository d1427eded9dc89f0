import type { BatchAnswer } from '../batch/BatchAnswer';
import type { ErrorBody } from '../errors/errorBody';
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

/** What failed within an answer: the items of a batch, the images of a document (nothing for one image). */
export function failuresOf(answer: MirrorAnswer | DocumentAnswer | BatchAnswer): {
  failed: number;
  of: number;
  codes: string[];
} {
  // A document's images count one by one, alone or as items of a batch.
  const imagesOf = (part: object): readonly object[] => ('images' in part ? (part as DocumentAnswer).images : [part]);
  const parts = isBatchAnswer(answer) ? answer.results.flatMap(imagesOf) : 'images' in answer ? answer.images : [];
  const codes = parts.flatMap((part) => ('error' in part ? [(part as ErrorBody).error.code] : []));
  return { failed: codes.length, of: parts.length, codes: [...new Set(codes)] };
}
