import { baike } from './baike';
import { helpdeskFaq } from './helpdeskFaq';
import { im } from './im';
import { whiteboard } from './whiteboard';

export type { EndpointDescription, RateLimit } from './EndpointDescription';
export { subjectOf } from './subjectOf';
export { baike, helpdeskFaq, im, whiteboard };

/** All endpoint descriptions, in the order the README lists them and the stack holds them. */
export const ENDPOINTS = [whiteboard, baike, helpdeskFaq, im] as const;

/** The `kind` of an answer, one per Feishu endpoint: `'whiteboard' | 'baike' | 'helpdesk-faq' | 'im'`. */
export type ImageKind = (typeof ENDPOINTS)[number]['kind'];
