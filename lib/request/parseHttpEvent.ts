import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import type { EndpointDescription } from '../endpoints';
import { invalidRequest } from '../errors/MirrorError';
import type { Settings } from '../settings/Settings';
import type { MirrorRequest } from '../mirror/MirrorRequest';
import type { Transport } from './detectTransport';
import {
  checkUserTokenLifetime,
  COMMON_OPTIONS,
  endpointFields,
  quoteName,
  readBoolean,
  readRequest,
  readUserToken,
  refuseUnknown,
} from './readFields';

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
export function parseHttpEvent(
  event: unknown,
  transport: Exclude<Transport, 'direct'>,
  endpoint: EndpointDescription,
  settings: Settings,
): MirrorRequest {
  const view =
    transport === 'rest' ? restView(event as APIGatewayProxyEvent) : httpView(event as APIGatewayProxyEventV2);
  if (view.method !== 'GET')
    throw invalidRequest(`method ${view.method.slice(0, 16)} is not supported; use GET ${endpoint.route}`);
  const given = view.pathParameters;
  const ids =
    given && endpoint.ids.every((name) => given[name] !== undefined) ? given : idsFromPath(view.path, endpoint);
  refuseUnknown(view.query, [...endpointFields(endpoint), ...HTTP_OPTIONS], 'query parameter');
  const redirect = readBoolean('redirect', view.query.redirect);
  if (redirect && endpoint.document) {
    throw invalidRequest(`redirect is not available for a ${endpoint.noun}: its answer holds many images`);
  }
  const request = {
    ...readRequest(endpoint, Object.assign(emptyQuery(), view.query, pick(ids, endpoint.ids)), settings),
    redirect,
    userAccessToken: readUserToken(endpoint, header(view.headers, USER_TOKEN_HEADER), 'the X-Feishu-User-Token header'),
  };
  checkUserTokenLifetime(request);
  return request;
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
  const multi = recordOf(event.multiValueQueryStringParameters) ?? {};
  for (const [name, value] of Object.entries(recordOf(event.queryStringParameters) ?? {})) {
    const repeated = multi[name];
    if (Array.isArray(repeated) && repeated.length > 1)
      throw invalidRequest(`query parameter ${quoteName(name)} is given more than once`);
    query[name] = textOf(value, `query parameter ${quoteName(name)}`);
  }
  return {
    method: methodOf(event.httpMethod),
    path: typeof event.path === 'string' ? event.path : '',
    pathParameters: nonEmpty(event.pathParameters),
    query,
    headers: headersOf(event.headers),
  };
}

function httpView(event: APIGatewayProxyEventV2): HttpView {
  const query = emptyQuery();
  // The raw query string shows repeated parameters, which queryStringParameters joins with commas.
  const params =
    typeof event.rawQueryString === 'string'
      ? [...new URLSearchParams(event.rawQueryString)]
      : Object.entries(recordOf(event.queryStringParameters) ?? {}).map(
          ([name, value]) => [name, textOf(value, `query parameter ${quoteName(name)}`)] as const,
        );
  for (const [name, value] of params) {
    if (Object.hasOwn(query, name)) throw invalidRequest(`query parameter ${quoteName(name)} is given more than once`);
    query[name] = value;
  }
  return {
    method: methodOf(recordOf(event.requestContext.http)?.method),
    path: typeof event.rawPath === 'string' ? event.rawPath : '',
    pathParameters: nonEmpty(event.pathParameters),
    query,
    headers: headersOf(event.headers),
  };
}

// API Gateway and Lambda always send these; an event without them came from somewhere else and
// is refused as such, rather than failing on the first field it lacks.
function methodOf(method: unknown): string {
  if (typeof method !== 'string' || method === '')
    throw invalidRequest('the HTTP event names no method; it must be an API Gateway or Function URL event');
  return method;
}

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function textOf(value: unknown, what: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') throw invalidRequest(`${what} is not text`);
  return value;
}

function headersOf(headers: unknown): Record<string, string | undefined> {
  const given = recordOf(headers) ?? {};
  return Object.fromEntries(
    Object.entries(given).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

function nonEmpty(parameters: unknown): Record<string, string | undefined> | undefined {
  const given = recordOf(parameters);
  if (!given || Object.keys(given).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(given).map(([name, value]) => [name, typeof value === 'string' ? value : undefined]),
  );
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

function pick(
  values: Record<string, string | undefined>,
  names: readonly string[],
): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, values[name]]));
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
