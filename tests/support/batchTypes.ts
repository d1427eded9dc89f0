import type { ErrorBody } from '../../lib/errors/errorBody';
import type { DocumentAnswer, FullDocumentAnswer } from '../../lib/mirror/DocumentAnswer';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';

/** One result of a batch: an image's answer, a document's, or an error. */
type BatchResult = MirrorAnswer | DocumentAnswer | ErrorBody;

/** The error body of a batch result, or undefined when it is an answer. */
export function errorOf(result: BatchResult): ErrorBody['error'] | undefined {
  return 'error' in result ? result.error : undefined;
}

/** The image answer of a batch result; fails the test when it is an error or a document's answer. */
export function answerOf(result: BatchResult | undefined): MirrorAnswer {
  if (result === undefined || !('url' in result)) {
    throw new Error(`expected an image's answer, got ${JSON.stringify(result)}`);
  }
  return result;
}

/** The full document answer of a batch result; fails the test when it is anything else (a compact one too). */
export function documentOf(result: BatchResult | undefined): FullDocumentAnswer {
  if (result === undefined || !('images' in result)) {
    throw new Error(`expected a document's answer, got ${JSON.stringify(result)}`);
  }
  return result;
}
