import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import type { EndpointDescription } from '../endpoints';
import { invalidRequest } from '../errors/MirrorError';
import type { Settings } from '../settings/Settings';
import type { MirrorRequest, Transport } from './MirrorRequest';
import { COMMON_OPTIONS, quoteName, readBoolean, readRequest, readUserToken, refuseUnknown } from './readFields';

const HTTP_OPTIONS = [...COMMON_OPTIONS, 'redirect'];
export const USER_TOKEN_HEADER = 'x-feishu-user-token';

/**
 * Reads an API Gateway REST (v1) or HTTP API / Function URL (v2) event: ids from the path
 * parameters, or from the raw path on the same route when there are none (Function URLs);
 * options from the query string; the caller's user token from `X-Feishu-User-Token`.
 *
 * @example
 * parseHttpEvent(event, 'rest', whiteboard, settings);
 */
export function parseHttpEvent(event: unknown, transport: Exclude<Transport, 'direct'>, endpoint: EndpointDescription, settings: Settings): MirrorRequest {
  const view = transport === 'rest' ? restView(event as APIGatewayProxyEvent) : httpView(event as APIGatewayProxyEventV2);
  if (view.method !== 'GET') throw invalidRequest(`method ${view.method.slice(0, 16)} is not supported; use GET ${endpoint.route}`);
  const given = view.pathParameters;
  const ids = given && endpoint.ids.every((name) => given[name] !== undefined) ? given : idsFromPath(view.path, endpoint);
  refuseUnknown(view.query, HTTP_OPTIONS, 'query parameter');
  return {
    ...readRequest(endpoint, Object.assign(emptyQuery(), view.query, pick(ids, endpoint.ids)), settings),
    redirect: readBoolean('redirect', view.query.redirect),
    userAccessToken: readUserToken(endpoint, header(view.headers, USER_TOKEN_HEADER), 'the X-Feishu-User-Token header'),
  };
}

interface HttpView {
  method: string;
  path: string;
  pathParameters?: Record<string, string | undefined>;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
}

// Query records have no prototype, so names such as __proto__ or constructor are plain,
// unknown names rather than properties every object inherits.
const emptyQuery = (): Record<string, string> => Object.create(null) as Record<string, string>;

function restView(event: APIGatewayProxyEvent): HttpView {
  const query = emptyQuery();
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if ((multi[name]?.length ?? 1) > 1) throw invalidRequest(`query parameter ${quoteName(name)} is given more than once`);
    query[name] = value ?? '';
  }
  return { method: event.httpMethod, path: event.path ?? '', pathParameters: nonEmpty(event.pathParameters), query, headers: event.headers ?? {} };
}

function httpView(event: APIGatewayProxyEventV2): HttpView {
  const query = emptyQuery();
  // The raw query string shows repeated parameters, which queryStringParameters joins with commas.
  const params = event.rawQueryString !== undefined
    ? [...new URLSearchParams(event.rawQueryString)]
    : Object.entries(event.queryStringParameters ?? {}).map(([name, value]) => [name, value ?? ''] as const);
  for (const [name, value] of params) {
    if (Object.hasOwn(query, name)) throw invalidRequest(`query parameter ${quoteName(name)} is given more than once`);
    query[name] = value;
  }
  return { method: event.requestContext.http.method, path: event.rawPath ?? '', pathParameters: nonEmpty(event.pathParameters), query, headers: event.headers ?? {} };
}

function nonEmpty(parameters: Record<string, string | undefined> | null | undefined): Record<string, string | undefined> | undefined {
  return parameters && Object.keys(parameters).length > 0 ? parameters : undefined;
}

/** Ids from a raw path on the endpoint's route (any stage or base-path prefix allowed). */
function idsFromPath(path: string, endpoint: EndpointDescription): Record<string, string> {
  const names: string[] = [];
  const pattern = endpoint.route
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]*)';
    })
    .join('');
  const match = new RegExp(`^(?:/[^/]+)*?${pattern}/?$`).exec(path);
  if (!match) throw invalidRequest(`the path does not match GET ${endpoint.route}`);
  const ids: Record<string, string> = {};
  names.forEach((name, i) => {
    try {
      ids[name] = decodeURIComponent(match[i + 1] ?? '');
    } catch {
      throw invalidRequest(`${name} in the path is not valid percent-encoding`);
    }
  });
  return ids;
}

function pick(values: Record<string, string | undefined>, names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, values[name]]));
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
