import type { ImageKind } from '../endpoints';
import type { ErrorBody } from '../errors/errorBody';
import type { MirrorAnswer } from './MirrorAnswer';

/** Which image block of a document an entry is about. */
interface ImageBlockHead {
  blockId: string;
  /** The block's name: `image` or `whiteboard`. */
  blockType: string;
  /** Feishu's token of the image (a media file token, a whiteboard id). */
  token: string;
}

/** One image block of a document, in document order, with its image's answer or error. */
export type DocumentImage = ImageBlockHead & ({ answer: MirrorAnswer } | ErrorBody);

/** An image block of a document whose image failed, with its error. */
export type FailedImage = ImageBlockHead & ErrorBody;

/**
 * Where the full answer of a document was written in S3 (`results/{kind}/{documentId}/…json`,
 * the answer as its full form would have been) and a presigned URL to read it, living as long
 * as the images' URLs; or, when it could not be written, why.
 */
export type FullAnswerObject = { key: string; url: string; expiresAt: string } | ({ key: string } & ErrorBody);

/** The answer of a document endpoint in full: every image of the document, each with its own outcome. */
export interface FullDocumentAnswer {
  kind: ImageKind;
  source: Record<string, string>;
  images: DocumentImage[];
  succeeded: number;
  failed: number;
  /** Where the answer was also written, when it might not fit where it goes. */
  fullAnswer?: FullAnswerObject;
}

/**
 * The answer of a document endpoint when the full one does not fit where it goes (an HTTP
 * answer, a Step Functions task): the counts and the failed images, the full answer in S3.
 */
export interface CompactDocumentAnswer {
  kind: ImageKind;
  source: Record<string, string>;
  compact: true;
  succeeded: number;
  failed: number;
  fullAnswer: FullAnswerObject;
  /** The failed images in document order: all of them, or as many as fit. */
  failedImages: FailedImage[];
  /** How many failed images were left out of `failedImages` to fit; absent when none was. */
  failedImagesLeftOut?: number;
}

/** The answer of a document endpoint: in full, or compact when the full one does not fit where it goes. */
export type DocumentAnswer = FullDocumentAnswer | CompactDocumentAnswer;

/**
 * Whether an answer (or a batch's result) is a document's, in either form.
 *
 * @example
 * answer.results.filter(isDocumentAnswer).length; // the documents of a batch answered
 */
export function isDocumentAnswer(answer: object): answer is DocumentAnswer {
  return 'images' in answer || 'compact' in answer;
}

/**
 * The failed images a document's answer lists, in document order: every one in full, those
 * kept in the compact form (`failedImagesLeftOut` counts the others).
 *
 * @example
 * failedImagesOf(answer).map((image) => image.error.code); // ['FORBIDDEN', 'NOT_FOUND']
 */
export function failedImagesOf(answer: DocumentAnswer): FailedImage[] {
  if ('compact' in answer) return answer.failedImages;
  return answer.images.filter((image): image is FailedImage => 'error' in image);
}
