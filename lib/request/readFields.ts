import type { EndpointDescription } from '../endpoints';
import { invalidRequest } from '../errors/MirrorError';
import { USER_TOKEN_MAX_EXPIRES_SECONDS } from '../storage/imageKey';
import type { MirrorRequest } from '../mirror/MirrorRequest';

/** What every id and place id must match. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
/** What a caller's user_access_token must match. */
export const USER_TOKEN_PATTERN = /^u-[\x21-\x7e]{1,4094}$/;

/** Options every event shape takes; HTTP adds `redirect`. */
export const COMMON_OPTIONS = ['refresh', 'expiresIn', 'download'] as const;

/**
 * The fields an endpoint takes beside its ids and the common options: its place ids, and the
 * options of a document's blocks (`whiteboards`).
 */
export function endpointFields(endpoint: EndpointDescription): string[] {
  return [...(endpoint.placeIds ?? []), ...blockOptionNames(endpoint)];
}

/** The options of a document's blocks, e.g. `whiteboards`; a batch may set them for every item. */
export function blockOptionNames(endpoint: EndpointDescription): string[] {
  return endpoint.document?.blocks.flatMap((block) => (block.option ? [block.option] : [])) ?? [];
}

/**
 * Checks one id against `^[A-Za-z0-9_-]{1,256}$` and says what is wrong with it; the value
 * itself is never echoed, as it may be anything.
 */
export function readId(name: string, raw: unknown): string {
  if (raw === undefined || raw === null) throw invalidRequest(`${name} is required`);
  if (typeof raw !== 'string') throw invalidRequest(`${name} must be a string, not ${describeType(raw)}`);
  if (ID_PATTERN.test(raw)) return raw;
  if (raw.length === 0) throw invalidRequest(`${name} must not be empty`);
  if (raw.length > 256) throw invalidRequest(`${name} is ${raw.length} characters long; at most 256 are allowed`);
  throw invalidRequest(`${name} may hold only the letters A-Z and a-z, digits, '_' and '-'`);
}

/** Reads a boolean option: true/false/1/0, as JSON values or as text. */
export function readBoolean(name: string, raw: unknown): boolean {
  if (raw === undefined) return false;
  if (raw === true || raw === 'true' || raw === 1 || raw === '1') return true;
  if (raw === false || raw === 'false' || raw === 0 || raw === '0') return false;
  throw invalidRequest(`${name} must be true, false, 1 or 0`);
}

/** Reads `expiresIn`: a whole number of seconds from 1 to the configured maximum. */
export function readExpiresIn(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw invalidRequest(`expiresIn must be a whole number of seconds from 1 to ${max} (PRESIGN_MAX_SECONDS)`);
  }
  return value;
}

/** Reads the caller's user token, refused where the endpoint takes only the tenant token. */
export function readUserToken(endpoint: EndpointDescription, raw: unknown, field: string): string | undefined {
  if (raw === undefined) return undefined;
  if (!endpoint.acceptsUserToken) {
    throw invalidRequest(`${field} is not accepted here: the ${endpoint.noun} API takes only the app's tenant token`);
  }
  if (typeof raw !== 'string' || !USER_TOKEN_PATTERN.test(raw)) {
    throw invalidRequest(`${field} must be a Feishu user_access_token (it starts with u-)`);
  }
  return raw;
}

/**
 * Refuses a URL lifetime longer than the copy it points at lives: an image fetched with a
 * user token is removed a day after it is stored.
 */
export function checkUserTokenLifetime(request: Pick<MirrorRequest, 'userAccessToken' | 'expiresInSeconds'>): void {
  if (request.userAccessToken !== undefined && request.expiresInSeconds > USER_TOKEN_MAX_EXPIRES_SECONDS) {
    throw invalidRequest(
      `expiresIn must be at most ${USER_TOKEN_MAX_EXPIRES_SECONDS} seconds with a user token: ` +
        'images fetched with one are kept a day',
    );
  }
}

/** Reads the ids and the common options out of one flat record of fields. */
export function readRequest(
  endpoint: EndpointDescription,
  fields: Readonly<Record<string, unknown>>,
  limits: { presignExpiresSeconds: number; presignMaxSeconds: number },
): Omit<MirrorRequest, 'redirect' | 'userAccessToken'> {
  const source: Record<string, string> = {};
  for (const name of endpoint.ids) source[name] = readId(name, fields[name]);
  for (const name of endpoint.placeIds ?? []) {
    if (fields[name] !== undefined) source[name] = readId(name, fields[name]);
  }
  const blockOptions = endpoint.document?.blocks.flatMap((block) =>
    block.option === undefined
      ? []
      : [
          [
            block.option,
            fields[block.option] === undefined || readBoolean(block.option, fields[block.option]),
          ] as const,
        ],
  );
  return {
    source,
    ...(blockOptions === undefined ? {} : { blockOptions: Object.fromEntries(blockOptions) }),
    refresh: readBoolean('refresh', fields.refresh),
    download: readBoolean('download', fields.download),
    expiresInSeconds: readExpiresIn(fields.expiresIn, limits.presignExpiresSeconds, limits.presignMaxSeconds),
  };
}

/** Refuses any field outside `allowed`, naming it and the expected ones. */
export function refuseUnknown(
  fields: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
  what: string,
): void {
  const unknown = Object.keys(fields).find((name) => !allowed.includes(name));
  if (unknown !== undefined) {
    throw invalidRequest(`unknown ${what} ${quoteName(unknown)}; expected ${allowed.join(', ')}`);
  }
}

/** A word for a JSON value's type, for messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A field name for a message: quoted when plain, never echoed when it could be anything. */
export function quoteName(name: string): string {
  return /^[\w.-]{1,64}$/.test(name) ? `'${name}'` : 'with an unusual name';
}
