import { toMirrorError } from '../errors/errorBody';
import { aboutSource } from '../errors/MirrorError';
import { shareOf } from '../mirror/AnswerRoom';
import type { DocumentAnswer } from '../mirror/DocumentAnswer';
import type { Invocation } from '../mirror/Invocation';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import type { MirrorRequest } from '../mirror/MirrorRequest';
import type { BatchEntry } from '../request/BatchEntry';
import type { BatchAnswer } from './BatchAnswer';
import { mirrorDocument } from './mirrorDocument';
import { mirrorOneImage, runItems, type ItemWork } from './runItems';

/** What the function's endpoint does with one request: mirror an image, or every image of a document. */
function workOf(invocation: Invocation): ItemWork {
  return invocation.endpoint.document ? mirrorDocument : mirrorOneImage;
}

/**
 * Answers one request of the function's endpoint: the image's answer, or a document's.
 *
 * @example
 * const answer = await mirrorRequest(invocation, parseDirectPayload(payload, endpoint, settings));
 */
export async function mirrorRequest(
  invocation: Invocation,
  request: MirrorRequest,
): Promise<MirrorAnswer | DocumentAnswer> {
  try {
    return await workOf(invocation)(invocation, request);
  } catch (thrown) {
    // Logged once at the edge, which no longer knows which image it was.
    throw aboutSource(toMirrorError(thrown), request.source);
  }
}

/**
 * Runs a batch of the function's endpoint within one invocation (see `runItems`): images, or
 * documents each answered with all its images, each planning for an equal share of the room
 * the batch's answer has (fitAnswer then shares out what the smaller ones leave). Its failed items
 * count in BatchItemsFailed.
 *
 * @example
 * const answer = await runBatch(parseBatch(input, im, settings), invocation);
 */
export async function runBatch(entries: readonly BatchEntry[], invocation: Invocation): Promise<BatchAnswer> {
  const { endpoint, answerRoom } = invocation;
  const shared = endpoint.document ? { ...invocation, answerRoom: shareOf(answerRoom, entries.length) } : invocation;
  const answer = await runItems(entries, shared, workOf(invocation));
  // Counted here, not in runItems, which also runs a document's images.
  invocation.metrics.add('BatchItemsFailed', answer.failed, {});
  return answer;
}
