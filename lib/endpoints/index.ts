import { baike } from './baike';
import { helpdeskFaq } from './helpdeskFaq';
import { im } from './im';
import { whiteboard } from './whiteboard';

export type { EndpointDescription, ImageKind } from './EndpointDescription';
export { subjectOf } from './subjectOf';
export { baike, helpdeskFaq, im, whiteboard };

/** All endpoint descriptions, in the order the README lists them. */
export const ENDPOINTS = [whiteboard, baike, helpdeskFaq, im] as const;
