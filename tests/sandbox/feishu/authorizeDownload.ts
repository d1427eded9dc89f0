import type { IncomingHttpHeaders } from 'node:http';
import type { EndpointDescription, StatusAndCode } from './endpoints';
import { sameText } from './sameText';
import type { TokenStore } from './TokenStore';
import type { TokenKind } from './types';

/** Helpdesk API credentials, from the helpdesk admin console. */
export interface HelpdeskCredentials {
  id: string;
  token: string;
}

const missingToken: StatusAndCode = { status: 400, code: 99991661 };
const badTokenPrefix: StatusAndCode = { status: 400, code: 99991671 };
const unknownUserToken: StatusAndCode = { status: 400, code: 99991668 };
const refusedToken: StatusAndCode = { status: 400, code: 99991663 };
const badHelpdeskAuthorization: StatusAndCode = { status: 401, code: 154001 };

function helpdeskHeaderIsValid(value: string | string[] | undefined, credentials: HelpdeskCredentials): boolean {
  if (typeof value !== 'string') return false;
  // The Node SDK sends `Bearer <base64>`, the Go SDK and the documentation the bare base64.
  const encoded = value.startsWith('Bearer ') ? value.slice('Bearer '.length).trim() : value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return false;
  return sameText(Buffer.from(encoded, 'base64').toString('utf8'), `${credentials.id}:${credentials.token}`);
}

/** The bearer token of a request, or why there is none. */
function bearerToken(headers: IncomingHttpHeaders): { token: string } | { problem: 'missing' | 'malformed' } {
  const authorization = headers.authorization;
  if (authorization === undefined) return { problem: 'missing' };
  if (!authorization.startsWith('Bearer ')) return { problem: 'malformed' };
  const token = authorization.slice('Bearer '.length).trim();
  return token === '' ? { problem: 'malformed' } : { token };
}

/**
 * The access token of a request's Authorization header, '' when it carries none.
 *
 * @example
 * accessTokenOf({ authorization: 'Bearer t-0a1b' }); // 't-0a1b'
 */
export function accessTokenOf(headers: IncomingHttpHeaders): string {
  const bearer = bearerToken(headers);
  return 'token' in bearer ? bearer.token : '';
}

/**
 * What a request's Authorization header carries, whatever endpoint it is for; recorded with
 * every request.
 *
 * @example
 * tokenKindOf({ authorization: 'Bearer t-0' }, tokens, Date.now()); // 'invalid': never issued
 */
export function tokenKindOf(headers: IncomingHttpHeaders, tokens: TokenStore, now: number): TokenKind {
  const bearer = bearerToken(headers);
  if ('problem' in bearer) return bearer.problem === 'missing' ? 'none' : 'invalid';
  const check = tokens.check(bearer.token, now);
  return check === 'tenant' || check === 'user' ? check : 'invalid';
}

/**
 * Checks the credentials of a request to any endpoint behind a token, in the gateway's order: the Authorization header,
 * the token's prefix, the token itself, then (helpdesk only) the helpdesk header.
 *
 * @example
 * const failure = authorizeDownload(request.headers, describeEndpoint('im'), tokens, helpdesk, Date.now());
 * if (failure !== undefined) answer(errorReply(failure.status, failure.code, undefined, logId));
 */
export function authorizeDownload(
  headers: IncomingHttpHeaders,
  description: EndpointDescription,
  tokens: TokenStore,
  helpdesk: HelpdeskCredentials,
  now: number,
): StatusAndCode | undefined {
  const bearer = bearerToken(headers);
  if ('problem' in bearer) return missingToken;
  switch (tokens.check(bearer.token, now)) {
    case 'badPrefix':
      return badTokenPrefix;
    case 'unknownTenant':
      return description.invalidTenantToken;
    case 'unknownUser':
      return description.acceptsUserToken ? unknownUserToken : (description.refusedUserToken ?? refusedToken);
    case 'user':
      if (!description.acceptsUserToken) return description.refusedUserToken ?? refusedToken;
      break;
    case 'tenant':
      break;
  }
  if (
    description.needsHelpdeskAuthorization &&
    !helpdeskHeaderIsValid(headers['x-lark-helpdesk-authorization'], helpdesk)
  ) {
    return badHelpdeskAuthorization;
  }
  return undefined;
}
