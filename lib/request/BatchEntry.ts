import type { MirrorError } from '../errors/MirrorError';
import type { MirrorRequest } from '../mirror/MirrorRequest';

/** One item of a batch once read: the request, or what is wrong with it. */
export type BatchEntry = MirrorRequest | MirrorError;
