import { baike } from './baike';
import { docx } from './docx';
import { driveFolder } from './driveFolder';
import { driveMedia } from './driveMedia';
import { feishuEvents } from './feishuEvents';
import { helpdeskFaq } from './helpdeskFaq';
import { im } from './im';
import { imMessage } from './imMessage';
import { whiteboard } from './whiteboard';
import { wikiSpace } from './wikiSpace';

export type {
  DocumentContents,
  EndpointDescription,
  FolderContents,
  FolderItem,
  ImageBlock,
  RateLimit,
} from './EndpointDescription';
export type { ReceiverDescription } from './ReceiverDescription';
export { calledEndpoints } from './calledEndpoints';
export { subjectOf } from './subjectOf';
export { baike, docx, driveFolder, driveMedia, feishuEvents, helpdeskFaq, im, imMessage, whiteboard, wikiSpace };

/** All endpoint descriptions, in the order the README lists them and the stack holds them. */
export const ENDPOINTS = [whiteboard, baike, helpdeskFaq, im, imMessage, driveMedia, docx] as const;

/** The receivers of events Feishu pushes, each turning them into work for an endpoint's queue. */
export const RECEIVERS = [feishuEvents] as const;

/**
 * The `kind` of an answer, one per Feishu endpoint:
 * `'whiteboard' | 'baike' | 'helpdesk-faq' | 'im' | 'im-message' | 'drive-media' | 'docx'`.
 */
export type ImageKind = (typeof ENDPOINTS)[number]['kind'];

/**
 * The places whose documents are mirrored, each listed by its own function over several
 * invocations and mirrored by its state machine through `docx` (stack/crawlStateMachine.ts).
 */
export const PLACES = [wikiSpace, driveFolder] as const;

/** The `kind` of a place: `'wiki-space' | 'drive-folder'`. */
export type PlaceKind = (typeof PLACES)[number]['kind'];
