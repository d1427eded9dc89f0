import type { ErrorBody } from '../errors/errorBody';
import type { DocumentAnswer } from '../mirror/DocumentAnswer';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';

/** The answer to a batch: one result per item, in the items' order. */
export interface BatchAnswer {
  results: (MirrorAnswer | DocumentAnswer | ErrorBody)[];
  succeeded: number;
  failed: number;
}

/**
 * Whether an answer is a batch's.
 *
 * @example
 * if (isBatchAnswer(answer)) answer.results.forEach(…);
 */
export function isBatchAnswer(answer: MirrorAnswer | DocumentAnswer | BatchAnswer): answer is BatchAnswer {
  return 'results' in answer;
}
