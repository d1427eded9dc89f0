import type { EndpointDescription } from './EndpointDescription';

/**
 * Images people and bots sent in chats, as resources of their message: a (message, file key)
 * pair never names other bytes. `im/v1/images` serves only what this app's bot uploaded.
 */
export const imMessage = {
  kind: 'im-message',
  functionName: 'messageImage',
  mirrors: 'an image sent in a Feishu chat',
  noun: 'chat image',
  ids: ['messageId', 'fileKey'],
  route: '/im/messages/{messageId}/resources/{fileKey}',
  feishuPath: '/open-apis/im/v1/messages/{messageId}/resources/{fileKey}?type=image',
  acceptsUserToken: false,
  helpdeskAuth: false,
  immutable: true,
  rateLimit: { perSecond: 50, perMinute: 1000 },
} as const satisfies EndpointDescription<string>;
