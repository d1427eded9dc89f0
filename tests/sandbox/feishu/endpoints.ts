import type { ApiEndpoint, DocumentEndpoint, DownloadEndpoint, ListingEndpoint } from './types';

/**
 * A fixed rate-limit window: at most `limit` calls per `ms`, aligned to the wall clock, or to the
 * wall clock `offsetMs` ahead of UTC (a Feishu day runs from midnight UTC+8).
 */
export interface RateWindow {
  ms: number;
  limit: number;
  offsetMs?: number;
}

/** An HTTP status and a Feishu code answered together. */
export interface StatusAndCode {
  status: number;
  code: number;
}

/** Everything the sandbox needs to know about one endpoint, from docs/feishu-platform.md. */
export interface EndpointDescription {
  name: ApiEndpoint;
  /** Matches the whole path; its groups are the ids in path order. */
  pattern: RegExp;
  acceptsUserToken: boolean;
  /** Default 400/99991663: the answer to a user token where only the tenant token is accepted. */
  refusedUserToken?: StatusAndCode;
  needsHelpdeskAuthorization: boolean;
  /** The answer to an unknown, revoked or expired tenant token. */
  invalidTenantToken: StatusAndCode;
  /** The answer to an id that is not `^[A-Za-z0-9_-]{1,256}$`. */
  invalidParam: StatusAndCode;
  /** The code of a rate-limited call (its status is 429). */
  rateLimitCode: number;
  /** The code of an HTTP 5xx answer. */
  internalErrorCode: number;
  /** Empty when the endpoint is not rate limited. */
  rateWindows: readonly RateWindow[];
  /**
   * The answer to the tenant token for a `useronly` id, which only a user may read: the
   * endpoint's own forbidden code where it documents one, else the generic permission code.
   * Only endpoints that take user tokens have such ids.
   */
  userOnly?: StatusAndCode;
  /** Every authorised call that no rate window refused counts against the sandbox's daily quota. */
  dailyQuota?: true;
  /** Image answers carry a `Content-Disposition` naming the file (fileNames.ts). */
  namesFile?: true;
}

/** The description of an endpoint that answers an image. */
export type DownloadEndpointDescription = EndpointDescription & { name: DownloadEndpoint };

/** The description of an endpoint that answers JSON about a document. */
export type DocumentEndpointDescription = EndpointDescription & { name: DocumentEndpoint };

/** The description of an endpoint that lists a wiki space's nodes or a Drive folder's files. */
export type ListingEndpointDescription = EndpointDescription & { name: ListingEndpoint };

/** The generic "invalid token" answer shared by most endpoints. */
const genericInvalidToken: StatusAndCode = { status: 400, code: 99991663 };

/** The generic rate-limit code (99991400). */
export const genericRateLimitCode = 99991400;

/**
 * The code of an internal error on an endpoint without one of its own (im, token): the platform
 * documents none (docs/feishu-platform.md), and 1 is what its older APIs answer for "internal
 * error".
 */
export const genericInternalErrorCode = 1;

/** Where the token endpoint lives. */
export const tokenPath = '/open-apis/auth/v3/tenant_access_token/internal';

/** The length of the window of the daily quota: a Feishu day. */
export const feishuDayMs = 24 * 60 * 60 * 1000;

/** Feishu's day starts at midnight UTC+8, eight hours before midnight UTC. */
export const feishuDayOffsetMs = 8 * 60 * 60 * 1000;

/** The platform's daily quota of document media per app (docs/feishu-platform.md). */
export const defaultDriveMediaDailyQuota = 10_000;

const imImages: DownloadEndpointDescription = {
  name: 'im',
  pattern: /^\/open-apis\/im\/v1\/images\/([^/]+)$/,
  acceptsUserToken: false,
  needsHelpdeskAuthorization: false,
  invalidTenantToken: genericInvalidToken,
  invalidParam: { status: 400, code: 234001 },
  rateLimitCode: genericRateLimitCode,
  internalErrorCode: genericInternalErrorCode,
  rateWindows: [
    { ms: 1000, limit: 50 },
    { ms: 60_000, limit: 1000 },
  ],
};

/** The download endpoints, in the order of docs/feishu-platform.md. */
export const downloadEndpoints: readonly DownloadEndpointDescription[] = [
  {
    name: 'whiteboard',
    pattern: /^\/open-apis\/board\/v1\/whiteboards\/([^/]+)\/download_as_image$/,
    acceptsUserToken: true,
    needsHelpdeskAuthorization: false,
    // The whiteboard API answers a bad tenant token with its own code, not the generic one.
    invalidTenantToken: { status: 401, code: 2890004 },
    invalidParam: { status: 400, code: 2890002 },
    rateLimitCode: 2890006,
    internalErrorCode: 2891001,
    rateWindows: [{ ms: 1000, limit: 10 }],
    userOnly: { status: 403, code: 2890005 },
  },
  {
    name: 'baike',
    pattern: /^\/open-apis\/baike\/v1\/files\/([^/]+)\/download$/,
    acceptsUserToken: true,
    needsHelpdeskAuthorization: false,
    invalidTenantToken: genericInvalidToken,
    invalidParam: { status: 400, code: 1540001 },
    rateLimitCode: genericRateLimitCode,
    internalErrorCode: 1540002,
    rateWindows: [
      { ms: 1000, limit: 50 },
      { ms: 60_000, limit: 1000 },
    ],
    // The baike API documents no forbidden code of its own.
    userOnly: { status: 400, code: 99991676 },
  },
  {
    name: 'helpdesk',
    pattern: /^\/open-apis\/helpdesk\/v1\/faqs\/([^/]+)\/image\/([^/]+)$/,
    acceptsUserToken: false,
    needsHelpdeskAuthorization: true,
    invalidTenantToken: genericInvalidToken,
    invalidParam: { status: 400, code: 154000 },
    rateLimitCode: genericRateLimitCode,
    internalErrorCode: 155000,
    // Documented as "special"; the functions keep 5 per second (docs/feishu-platform.md).
    rateWindows: [{ ms: 1000, limit: 5 }],
  },
  imImages,
  // Message resources are an im API: the same codes and limits as images, but their own route.
  {
    ...imImages,
    name: 'imMessage',
    pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/,
    // A user token here is answered as an invalid user token, the generic code for it.
    refusedUserToken: { status: 400, code: 99991668 },
  },
  {
    name: 'driveMedia',
    pattern: /^\/open-apis\/drive\/v1\/medias\/([^/]+)\/download$/,
    acceptsUserToken: true,
    needsHelpdeskAuthorization: false,
    invalidTenantToken: genericInvalidToken,
    invalidParam: { status: 400, code: 1061002 },
    rateLimitCode: 1061045,
    internalErrorCode: 1061001,
    rateWindows: [{ ms: 1000, limit: 5 }],
    userOnly: { status: 403, code: 1061004 },
    dailyQuota: true,
    namesFile: true,
  },
];

/** The blocks of a docx document, the one endpoint that answers JSON rather than an image. */
export const docxBlocksEndpoint: DocumentEndpointDescription = {
  name: 'docxBlocks',
  pattern: /^\/open-apis\/docx\/v1\/documents\/([^/]+)\/blocks$/,
  acceptsUserToken: true,
  needsHelpdeskAuthorization: false,
  invalidTenantToken: genericInvalidToken,
  invalidParam: { status: 400, code: 1770001 },
  rateLimitCode: genericRateLimitCode,
  // The docx API documents no internal-error code of its own.
  internalErrorCode: genericInternalErrorCode,
  rateWindows: [{ ms: 1000, limit: 5 }],
  userOnly: { status: 403, code: 1770032 },
};

/** The nodes of a wiki space, a level at a time: 100 calls a minute per app. */
export const wikiNodesEndpoint: ListingEndpointDescription = {
  name: 'wikiNodes',
  pattern: /^\/open-apis\/wiki\/v2\/spaces\/([^/]+)\/nodes$/,
  acceptsUserToken: true,
  needsHelpdeskAuthorization: false,
  invalidTenantToken: genericInvalidToken,
  invalidParam: { status: 400, code: 131002 },
  rateLimitCode: genericRateLimitCode,
  internalErrorCode: 131007,
  rateWindows: [{ ms: 60_000, limit: 100 }],
};

/** The files of one Drive folder: about 20 calls a second per app. */
export const driveFilesEndpoint: ListingEndpointDescription = {
  name: 'driveFiles',
  pattern: /^\/open-apis\/drive\/v1\/files$/,
  acceptsUserToken: true,
  needsHelpdeskAuthorization: false,
  invalidTenantToken: genericInvalidToken,
  invalidParam: { status: 400, code: 1061002 },
  rateLimitCode: genericRateLimitCode,
  internalErrorCode: 1061001,
  rateWindows: [{ ms: 1000, limit: 20 }],
};

/** Every endpoint behind a token, as the router tries them. */
export const apiEndpoints: readonly EndpointDescription[] = [
  ...downloadEndpoints,
  docxBlocksEndpoint,
  wikiNodesEndpoint,
  driveFilesEndpoint,
];

/**
 * The window size a rate-limit answer reports: the endpoint's per-second limit.
 *
 * @example
 * headerLimitOf(describeEndpoint('whiteboard')); // 10
 */
export function headerLimitOf(description: EndpointDescription): number {
  // Every endpoint has a window; 1 only keeps the type honest.
  return description.rateWindows[0]?.limit ?? 1;
}

/**
 * The description of an endpoint by name.
 *
 * @example
 * describeEndpoint('im').rateLimitCode; // 99991400
 */
export function describeEndpoint(name: ApiEndpoint): EndpointDescription {
  const description = apiEndpoints.find((d) => d.name === name);
  if (description === undefined) throw new Error(`no description for endpoint ${name}`);
  return description;
}
