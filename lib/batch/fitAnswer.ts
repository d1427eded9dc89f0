import { type AnswerRoom, partSizeIn, sizeIn } from '../mirror/AnswerRoom';
import {
  type CompactDocumentAnswer,
  type DocumentAnswer,
  failedImagesOf,
  type FullAnswerObject,
  type FullDocumentAnswer,
  isDocumentAnswer,
} from '../mirror/DocumentAnswer';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { type BatchAnswer, isBatchAnswer } from './BatchAnswer';

type Answer = MirrorAnswer | DocumentAnswer | BatchAnswer;

/**
 * The answer as it fits where it goes (`room`): as it is when it fits; else each document's
 * answer written to S3 (`fullAnswer`, mirrorDocument) that does not fit its share is made
 * compact: its counts, its failed images in document order (as many as fit, the others
 * counted in `failedImagesLeftOut`) and the S3 object holding it in full. In a batch, results
 * are taken smallest first, and each that does not fit an equal share of the room left is made
 * compact within that share: what a small result leaves unused goes to the larger ones, and
 * only what must be is made compact. Measured, as `room` counts the bytes, never estimated.
 *
 * @example
 * fitAnswer(await runInput(input, invocation), TASK_ANSWER_ROOM); // within 256 KiB less a tenth
 */
export function fitAnswer(answer: MirrorAnswer | DocumentAnswer, room: AnswerRoom): MirrorAnswer | DocumentAnswer;
export function fitAnswer(answer: Answer, room: AnswerRoom): Answer;
export function fitAnswer(answer: Answer, room: AnswerRoom): Answer {
  if (room.bytes === Number.POSITIVE_INFINITY) return answer;
  if (isBatchAnswer(answer)) return fitBatch(answer, room);
  if (isDocumentAnswer(answer)) return fitDocument(answer, room.bytes, room, () => sizeIn(room, answer));
  return answer;
}

function fitBatch(answer: BatchAnswer, room: AnswerRoom): BatchAnswer {
  const sizes = answer.results.map((result) => partSizeIn(room, result));
  // The batch's own fields, and a comma between two results.
  const around = sizeIn(room, { ...answer, results: [] }) + Math.max(0, answer.results.length - 1);
  if (around + sizes.reduce((sum, size) => sum + size, 0) <= room.bytes) return answer;

  const results = [...answer.results];
  const smallestFirst = results.map((_, index) => index).sort((a, b) => sizes[a]! - sizes[b]!);
  let left = room.bytes - around;
  smallestFirst.forEach((index, rank) => {
    const share = left / (results.length - rank);
    const result = results[index]!;
    if (sizes[index]! > share && isDocumentAnswer(result)) {
      // Its size here is its part's and the answer's own text around it: measured once, above.
      results[index] = fitDocument(result, Math.floor(share), room, () => sizes[index]! + room.sizeOfJson(''));
      left -= partSizeIn(room, results[index]);
    } else {
      left -= sizes[index]!;
    }
  });
  return { ...answer, results };
}

/**
 * A document's answer within `bytes`: as it is when it fits or was not written to S3, else
 * compact. `size` gives its size in `room`, measured only when it matters: a document's answer
 * may be tens of megabytes of JSON.
 */
function fitDocument(answer: DocumentAnswer, bytes: number, room: AnswerRoom, size: () => number): DocumentAnswer {
  if ('compact' in answer || answer.fullAnswer === undefined) return answer;
  if (size() <= bytes) return answer;
  return compactDocument(answer, answer.fullAnswer, bytes, room);
}

function compactDocument(
  answer: FullDocumentAnswer,
  fullAnswer: FullAnswerObject,
  bytes: number,
  room: AnswerRoom,
): CompactDocumentAnswer {
  const { kind, source, succeeded, failed } = answer;
  const failedImages = failedImagesOf(answer);
  const compact: CompactDocumentAnswer = { kind, source, compact: true, succeeded, failed, fullAnswer, failedImages };
  if (sizeIn(room, compact) <= bytes) return compact;

  // As many failed images as fit, in document order, and how many were left out.
  let used = sizeIn(room, { ...compact, failedImages: [], failedImagesLeftOut: failedImages.length });
  let kept = 0;
  for (const image of failedImages) {
    const more = partSizeIn(room, image) + (kept > 0 ? 1 : 0);
    if (used + more > bytes) break;
    used += more;
    kept += 1;
  }
  return { ...compact, failedImages: failedImages.slice(0, kept), failedImagesLeftOut: failedImages.length - kept };
}
