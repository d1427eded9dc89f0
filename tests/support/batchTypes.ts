import type { ErrorBody } from '../../lib/errors/errorBody';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';

/** The error body of a batch result, or undefined when it is an answer. */
export function errorOf(result: MirrorAnswer | ErrorBody): ErrorBody['error'] | undefined {
  return 'error' in result ? result.error : undefined;
}

/** The answer of a batch result; fails the test when it is an error. */
export function answerOf(result: MirrorAnswer | ErrorBody | undefined): MirrorAnswer {
  if (result === undefined || 'error' in result) throw new Error(`expected an answer, got ${JSON.stringify(result)}`);
  return result;
}
