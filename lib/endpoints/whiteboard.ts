import type { EndpointDescription } from './EndpointDescription';

/** Whiteboard thumbnails: they change whenever the board is edited. */
export const whiteboard = {
  kind: 'whiteboard',
  functionName: 'whiteboardImage',
  mirrors: 'a Feishu whiteboard thumbnail',
  noun: 'whiteboard thumbnail',
  ids: ['whiteboardId'],
  route: '/whiteboards/{whiteboardId}/image',
  feishuPath: '/open-apis/board/v1/whiteboards/{whiteboardId}/download_as_image',
  scope: 'board:whiteboard:node:read',
  acceptsUserToken: true,
  helpdeskAuth: false,
  immutable: false,
  // Feishu's page says 50/s, Lark's 10/s: the lower one holds on both platforms.
  rateLimit: { perSecond: 10 },
  // Thumbnails go stale as boards are edited: the stack's schedule refreshes these.
  scheduledIdsSetting: 'SCHEDULED_WHITEBOARD_IDS',
  // Shipped off: it refreshes nothing until the setting lists ids. To turn it on, set enabled: true.
  schedule: { rate: 'rate(1 hour)', enabled: false },
} as const satisfies EndpointDescription<string>;
