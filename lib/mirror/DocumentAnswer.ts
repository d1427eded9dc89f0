import type { ImageKind } from '../endpoints';
import type { ErrorBody } from '../errors/errorBody';
import type { MirrorAnswer } from './MirrorAnswer';

/** One image block of a document, in document order, with its image's answer or error. */
export type DocumentImage = {
  blockId: string;
  /** The block's name: `image` or `whiteboard`. */
  blockType: string;
  /** Feishu's token of the image (a media file token, a whiteboard id). */
  token: string;
} & ({ answer: MirrorAnswer } | ErrorBody);

/** The answer of a document endpoint: every image of the document, each with its own outcome. */
export interface DocumentAnswer {
  kind: ImageKind;
  source: Record<string, string>;
  images: DocumentImage[];
  succeeded: number;
  failed: number;
}
