import type { EndpointDescription } from './EndpointDescription';

/** Images of baike (dictionary) entries, named by their immutable file token. */
export const baike = {
  kind: 'baike',
  functionName: 'baikeImage',
  mirrors: 'a Feishu baike (dictionary) image',
  noun: 'baike file',
  ids: ['fileToken'],
  route: '/baike/files/{fileToken}',
  feishuPath: '/open-apis/baike/v1/files/{fileToken}/download',
  acceptsUserToken: true,
  helpdeskAuth: false,
  immutable: true,
  rateLimit: { perSecond: 50, perMinute: 1000 },
} as const satisfies EndpointDescription<string>;
