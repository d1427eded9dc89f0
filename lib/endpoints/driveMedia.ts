import type { EndpointDescription } from './EndpointDescription';

/**
 * Media of documents (images in docx documents, sheets, bitables), named by an immutable file
 * token. Feishu checks the app's access to the document that holds the media, which the call
 * names in `extra` when the caller gives `documentId`.
 */
export const driveMedia = {
  kind: 'drive-media',
  functionName: 'driveMedia',
  mirrors: 'an image of a Feishu document',
  noun: 'document media',
  ids: ['fileToken'],
  placeIds: ['documentId'],
  feishuQuery: (place: Readonly<Record<string, string>>): Record<string, string> =>
    place.documentId === undefined ? {} : { extra: JSON.stringify({ doc_id: place.documentId, doc_type: 'docx' }) },
  route: '/drive/medias/{fileToken}',
  feishuPath: '/open-apis/drive/v1/medias/{fileToken}/download',
  scope: 'docs:document.media:download',
  acceptsUserToken: true,
  helpdeskAuth: false,
  immutable: true,
  // "Special rate control": 5 a second, and a hard quota of 10,000 a day per app.
  rateLimit: { perSecond: 5, perDay: 10_000 },
} as const satisfies EndpointDescription<string>;
