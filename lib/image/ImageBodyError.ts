/** Why an image body could not be read to its end. */
export type ImageBodyProblem =
  /** The stream failed (the connection broke). */
  | 'broken'
  /** The stream failed because the invocation's time ran out (its signal aborted). */
  | 'late'
  /** The stream ended before the length it announced. */
  | 'short'
  /** More bytes came than the size limit allows. */
  | 'tooLarge';

/**
 * A body that could not be read as an image, in the image layer's own terms: what went wrong
 * and how many bytes had come. The data path, which knows where the body came from, turns it
 * into the product's error (`mirror/bodyFailure.ts`).
 *
 * @example
 * throw new ImageBodyError('short', { bytesRead: 1000, expectedLength: 4000 });
 */
export class ImageBodyError extends Error {
  readonly problem: ImageBodyProblem;
  readonly bytesRead: number;
  readonly expectedLength?: number;
  readonly maxBytes?: number;

  constructor(
    problem: ImageBodyProblem,
    details: { bytesRead: number; expectedLength?: number; maxBytes?: number; cause?: unknown },
  ) {
    super(
      `image body ${problem} after ${details.bytesRead} bytes`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = 'ImageBodyError';
    this.problem = problem;
    this.bytesRead = details.bytesRead;
    this.expectedLength = details.expectedLength;
    this.maxBytes = details.maxBytes;
  }
}
