import { baike, helpdeskFaq, im, whiteboard, type EndpointDescription } from '../../lib/endpoints';
import type { MirrorHandler } from '../../lib/handler/createHandler';
import { handler as baikeImage } from '../../functions/baikeImage';
import { handler as helpdeskFaqImage } from '../../functions/helpdeskFaqImage';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';

/** Each function's real handler beside its endpoint description, for tests run over all four. */
export const FUNCTIONS: readonly { endpoint: EndpointDescription; handler: MirrorHandler }[] = [
  { endpoint: whiteboard, handler: whiteboardImage },
  { endpoint: baike, handler: baikeImage },
  { endpoint: helpdeskFaq, handler: helpdeskFaqImage },
  { endpoint: im, handler: imImage },
];

/** A direct payload naming one image: each id of the endpoint gets `id` (helpdesk: a FAQ id too). */
export function payloadFor(endpoint: EndpointDescription, id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const source = Object.fromEntries(endpoint.ids.map((name, i) => [name, i === endpoint.ids.length - 1 ? id : '7109876543210987654']));
  return { ...source, ...extra };
}
