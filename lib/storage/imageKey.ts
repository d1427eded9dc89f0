import type { EndpointDescription } from '../endpoints';

/**
 * The deterministic object key of an image: `{prefix}{kind}/{id}`, with every id of the
 * endpoint in order (helpdesk: `{prefix}helpdesk-faq/{faqId}/{imageKey}`).
 */
export function imageKey(prefix: string, endpoint: EndpointDescription, source: Readonly<Record<string, string>>): string {
  return `${prefix}${endpoint.kind}/${endpoint.ids.map((id) => source[id]).join('/')}`;
}
