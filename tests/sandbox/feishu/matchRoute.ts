import { apiEndpoints, tokenPath, type EndpointDescription } from './endpoints';

/** Where a request goes: the token endpoint, an endpoint behind a token with its ids, or nowhere. */
export type Route =
  | { endpoint: 'token' }
  | { endpoint: EndpointDescription['name']; description: EndpointDescription; ids: string[] }
  | { endpoint: 'unknown' };

/**
 * Routes a request the way the gateway does: by method and exact path.
 *
 * @example
 * matchRoute('GET', '/open-apis/im/v1/images/img_1'); // { endpoint: 'im', ids: ['img_1'], … }
 */
export function matchRoute(method: string, path: string): Route {
  if (path === tokenPath) return method === 'POST' ? { endpoint: 'token' } : { endpoint: 'unknown' };
  // Every endpoint behind a token is GET only; the gateway has no route for another method.
  if (method !== 'GET') return { endpoint: 'unknown' };
  for (const description of apiEndpoints) {
    const match = description.pattern.exec(path);
    if (match !== null) return { endpoint: description.name, description, ids: match.slice(1) };
  }
  return { endpoint: 'unknown' };
}
