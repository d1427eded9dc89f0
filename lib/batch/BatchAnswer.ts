import type { ErrorBody } from '../errors/errorBody';
import type { MirrorError } from '../errors/MirrorError';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import type { MirrorRequest } from '../request/MirrorRequest';

/** One item of a batch once read: the request, or what is wrong with it. */
export type BatchEntry = MirrorRequest | MirrorError;

/** The answer to a batch: one result per item, in the items' order. */
export interface BatchAnswer {
  results: (MirrorAnswer | ErrorBody)[];
  succeeded: number;
  failed: number;
}
