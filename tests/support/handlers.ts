import { join } from 'node:path';
import { ENDPOINTS, type EndpointDescription } from '../../lib/endpoints';
import type { MirrorHandler } from '../../lib/handler/createHandler';

/** An endpoint's description and the handler of its function. */
export interface FunctionUnderTest {
  endpoint: EndpointDescription;
  handler: MirrorHandler;
}

/** Every function's real handler beside its endpoint description: `functions/{functionName}.ts`, as packaged. */
export const ALL_FUNCTIONS: readonly FunctionUnderTest[] = ENDPOINTS.map((endpoint) => {
  const file = join(__dirname, '..', '..', 'functions', endpoint.functionName);
  return { endpoint, handler: (require(file) as { handler: MirrorHandler }).handler };
});

/**
 * The functions that mirror one image per request, for tests run over all of them; a document
 * function (docxImages) answers with many images and has tests of its own.
 */
export const FUNCTIONS: readonly FunctionUnderTest[] = ALL_FUNCTIONS.filter(({ endpoint }) => !endpoint.document);

/** A direct payload naming one image: each id of the endpoint gets `id` (helpdesk: a FAQ id too). */
export function payloadFor(
  endpoint: EndpointDescription,
  id: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const source = Object.fromEntries(
    endpoint.ids.map((name, i) => [name, i === endpoint.ids.length - 1 ? id : '7109876543210987654']),
  );
  return { ...source, ...extra };
}
