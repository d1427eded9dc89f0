import type { EndpointDescription } from './EndpointDescription';

/**
 * Every Feishu endpoint a function calls, its own first: a document endpoint also calls the
 * endpoints of its image blocks, each within its own rate limit.
 *
 * @example
 * calledEndpoints(docx).map((endpoint) => endpoint.kind); // ['docx', 'drive-media', 'whiteboard']
 */
export function calledEndpoints(endpoint: EndpointDescription<string>): EndpointDescription<string>[] {
  return [endpoint, ...(endpoint.document?.blocks.map((block) => block.endpoint) ?? [])];
}
