import { createHash } from 'node:crypto';
import type { EndpointDescription } from '../endpoints';

/**
 * The folder, under the prefix, of images fetched with a caller's own user token: one
 * sub-folder per token, named by its digest. They are never answered to anyone else, and the
 * bucket's lifecycle rule removes them after a day.
 */
export const USER_TOKEN_FOLDER = 'user-token/';

/** The longest a URL to such an image may live: the lifecycle rule keeps it at least this long (a day). */
export const USER_TOKEN_MAX_EXPIRES_SECONDS = 86_400;

/**
 * The deterministic object key of an image: `{prefix}{kind}/{id}`, with every id of the
 * endpoint in order (helpdesk: `{prefix}helpdesk-faq/{faqId}/{imageKey}`). An image fetched
 * with a user token goes to `{prefix}user-token/{digest of the token}/{kind}/{id}` instead, so
 * that what one user may read never stands where the tenant's or another user's copy does.
 *
 * @example
 * imageKey('feishu/', im, { imageKey: 'img_v3_01' }); // 'feishu/im/img_v3_01'
 */
export function imageKey(
  prefix: string,
  endpoint: EndpointDescription,
  source: Readonly<Record<string, string>>,
  userAccessToken?: string,
): string {
  const path = `${endpoint.kind}/${endpoint.ids.map((id) => source[id]).join('/')}`;
  if (userAccessToken === undefined) return `${prefix}${path}`;
  // 128 bits of the token's sha256: tells tokens apart, and cannot be turned back into one.
  const digest = createHash('sha256').update(userAccessToken).digest('hex').slice(0, 32);
  return `${prefix}${USER_TOKEN_FOLDER}${digest}/${path}`;
}
