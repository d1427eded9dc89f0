import type { EndpointDescription } from './EndpointDescription';

/** Images this app's bot uploaded for messages, named by their immutable image key. */
export const im = {
  kind: 'im',
  functionName: 'imImage',
  mirrors: 'an image sent by the Feishu bot',
  noun: 'im image',
  ids: ['imageKey'],
  route: '/im/images/{imageKey}',
  feishuPath: '/open-apis/im/v1/images/{imageKey}',
  acceptsUserToken: false,
  helpdeskAuth: false,
  immutable: true,
  rateLimit: { perSecond: 50, perMinute: 1000 },
} as const satisfies EndpointDescription<string>;
