import { driveMedia } from './driveMedia';
import type { EndpointDescription } from './EndpointDescription';
import { whiteboard } from './whiteboard';

/**
 * Every image and whiteboard of a docx document in one call: its blocks are listed a page at a
 * time, then each image block is mirrored as document media (naming the document, whose access
 * counts) and each whiteboard block as a whiteboard thumbnail, under their own keys.
 */
export const docx = {
  kind: 'docx',
  functionName: 'docxImages',
  mirrors: 'every image and whiteboard of a Feishu docx document',
  noun: 'docx document',
  ids: ['documentId'],
  route: '/docx/documents/{documentId}/images',
  feishuPath: '/open-apis/docx/v1/documents/{documentId}/blocks',
  scope: 'docx:document:readonly',
  acceptsUserToken: true,
  helpdeskAuth: false,
  // A document changes as it is edited: its blocks are read on every call.
  immutable: false,
  // Documented as about 5 calls a second per app.
  rateLimit: { perSecond: 5 },
  document: {
    pageSize: 500,
    blocks: [
      {
        blockType: 27,
        name: 'image',
        field: 'image',
        endpoint: driveMedia,
        payload: (token: string, documentId: string) => ({ fileToken: token, documentId }),
      },
      {
        blockType: 43,
        name: 'whiteboard',
        field: 'board',
        endpoint: whiteboard,
        payload: (token: string) => ({ whiteboardId: token }),
        option: 'whiteboards',
      },
    ],
  },
} as const satisfies EndpointDescription<string>;
