/**
 * Every error code of docs/feishu-platform.md with the HTTP status the platform answers it with.
 *
 * Codes and statuses come from docs/feishu-platform.md; where it gives no status (the generic codes,
 * the message-resource codes) the sandbox answers 400, as observed. The `msg` texts are the
 * sandbox's own short wording: clients must act on `code`, never on `msg`.
 */

/** Where a code is documented. */
export type ErrorScope =
  | 'generic'
  | 'token'
  | 'whiteboard'
  | 'baike'
  | 'helpdesk'
  | 'im'
  | 'imMessageResource'
  | 'driveMedia'
  | 'docx'
  | 'wiki'
  | 'driveFiles';

export interface ErrorCatalogEntry {
  code: number;
  status: number;
  msg: string;
  scope: ErrorScope;
}

/** All documented codes; tests iterate over it. */
export const errorCatalog: readonly ErrorCatalogEntry[] = [
  // Generic codes, any API.
  {
    scope: 'generic',
    code: 99991661,
    status: 400,
    msg: 'Missing access token for authorization. Please make a request with token attached.',
  },
  {
    scope: 'generic',
    code: 99991663,
    status: 400,
    msg: 'Invalid access token for authorization. Please make a request with token attached.',
  },
  { scope: 'generic', code: 99991664, status: 400, msg: 'Invalid app access token.' },
  { scope: 'generic', code: 99991665, status: 400, msg: 'Invalid tenant access token.' },
  { scope: 'generic', code: 99991668, status: 400, msg: 'Invalid user access token.' },
  { scope: 'generic', code: 99991677, status: 400, msg: 'User access token expired.' },
  { scope: 'generic', code: 99991671, status: 400, msg: "Invalid token format: a token must start with 't-' or 'u-'." },
  {
    scope: 'generic',
    code: 99991672,
    status: 400,
    msg: 'Access denied: the app has not been granted the scope this API needs.',
  },
  { scope: 'generic', code: 99991673, status: 400, msg: 'The app is not usable in this tenant.' },
  { scope: 'generic', code: 99991676, status: 400, msg: 'The token lacks the permission this API needs.' },
  { scope: 'generic', code: 99991400, status: 429, msg: 'request trigger frequency limit' },
  { scope: 'generic', code: 99991401, status: 400, msg: "The caller's IP is not on the app's allow-list." },
  { scope: 'generic', code: 99991403, status: 400, msg: 'The monthly call quota is used up.' },
  // The token endpoint: failures come with HTTP 200 (observed).
  { scope: 'token', code: 10003, status: 200, msg: 'invalid param' },
  { scope: 'token', code: 10012, status: 200, msg: 'app_id is invalid' },
  { scope: 'token', code: 10013, status: 200, msg: 'app_secret is invalid' },
  { scope: 'token', code: 10014, status: 200, msg: 'app_secret does not match app_id' },
  { scope: 'token', code: 10015, status: 200, msg: 'app is disabled' },
  { scope: 'token', code: 99991543, status: 200, msg: 'app_id or app_secret is wrong' },
  // GET /open-apis/board/v1/whiteboards/:whiteboard_id/download_as_image
  { scope: 'whiteboard', code: 2890001, status: 400, msg: 'invalid format' },
  { scope: 'whiteboard', code: 2890002, status: 400, msg: 'invalid arg' },
  { scope: 'whiteboard', code: 2890003, status: 400, msg: 'record missing' },
  { scope: 'whiteboard', code: 2890004, status: 401, msg: 'auth failed' },
  { scope: 'whiteboard', code: 2890005, status: 403, msg: 'forbidden' },
  { scope: 'whiteboard', code: 2890006, status: 429, msg: 'too many requests' },
  { scope: 'whiteboard', code: 2891001, status: 500, msg: 'internal error' },
  // GET /open-apis/baike/v1/files/:file_token/download
  { scope: 'baike', code: 1540001, status: 400, msg: 'invalid param' },
  { scope: 'baike', code: 1540002, status: 500, msg: 'network anomaly, please retry' },
  // GET /open-apis/helpdesk/v1/faqs/:id/image/:image_key
  { scope: 'helpdesk', code: 154000, status: 400, msg: 'bad request' },
  { scope: 'helpdesk', code: 154001, status: 401, msg: 'wrong Authorization or helpdesk credentials' },
  { scope: 'helpdesk', code: 154003, status: 403, msg: 'no access' },
  { scope: 'helpdesk', code: 154004, status: 404, msg: 'not found' },
  { scope: 'helpdesk', code: 155000, status: 500, msg: 'internal error' },
  // GET /open-apis/im/v1/images/:image_key
  { scope: 'im', code: 234001, status: 400, msg: 'invalid param' },
  { scope: 'im', code: 234002, status: 401, msg: 'unauthorized' },
  { scope: 'im', code: 234005, status: 400, msg: 'image has been deleted' },
  { scope: 'im', code: 234007, status: 400, msg: 'bot capability is not enabled' },
  { scope: 'im', code: 234008, status: 400, msg: 'the app did not upload this image' },
  { scope: 'im', code: 234041, status: 400, msg: 'tenant encryption key has been deleted' },
  { scope: 'im', code: 234042, status: 400, msg: 'tenant storage error' },
  // GET /open-apis/im/v1/messages/:message_id/resources/:file_key (statuses undocumented).
  { scope: 'imMessageResource', code: 230110, status: 400, msg: 'message has been deleted' },
  { scope: 'imMessageResource', code: 234003, status: 400, msg: 'file is not in this message' },
  { scope: 'imMessageResource', code: 234004, status: 400, msg: 'app is not in the chat' },
  { scope: 'imMessageResource', code: 234009, status: 400, msg: 'no permission' },
  { scope: 'imMessageResource', code: 234037, status: 400, msg: 'file is over 100 MB' },
  { scope: 'imMessageResource', code: 234038, status: 400, msg: 'chat is restricted' },
  { scope: 'imMessageResource', code: 234040, status: 400, msg: 'message is invisible' },
  { scope: 'imMessageResource', code: 234043, status: 400, msg: 'unsupported message type' },
  // GET /open-apis/drive/v1/medias/:file_token/download (the drive service's shared table).
  { scope: 'driveMedia', code: 1061001, status: 500, msg: 'unknown error' },
  { scope: 'driveMedia', code: 1061002, status: 400, msg: 'params error' },
  { scope: 'driveMedia', code: 1061003, status: 404, msg: 'not found' },
  { scope: 'driveMedia', code: 1061004, status: 403, msg: 'forbidden' },
  { scope: 'driveMedia', code: 1061005, status: 401, msg: 'auth failed' },
  { scope: 'driveMedia', code: 1061006, status: 500, msg: 'internal time out' },
  { scope: 'driveMedia', code: 1061007, status: 404, msg: 'file has been deleted' },
  { scope: 'driveMedia', code: 1061045, status: 429, msg: 'can retry later' },
  { scope: 'driveMedia', code: 1061073, status: 400, msg: 'no scope auth' },
  // GET /open-apis/docx/v1/documents/:document_id/blocks
  { scope: 'docx', code: 1770001, status: 400, msg: 'invalid param' },
  { scope: 'docx', code: 1770002, status: 404, msg: 'not found' },
  { scope: 'docx', code: 1770032, status: 403, msg: 'forbidden' },
  // GET /open-apis/wiki/v2/spaces/:space_id/nodes (every code with HTTP 400).
  { scope: 'wiki', code: 131001, status: 400, msg: 'rpc fail' },
  { scope: 'wiki', code: 131002, status: 400, msg: 'param err' },
  { scope: 'wiki', code: 131003, status: 400, msg: 'out of limit' },
  { scope: 'wiki', code: 131004, status: 400, msg: 'invalid user' },
  { scope: 'wiki', code: 131005, status: 400, msg: 'not found' },
  { scope: 'wiki', code: 131006, status: 400, msg: 'permission denied' },
  { scope: 'wiki', code: 131007, status: 400, msg: 'internal err' },
  // GET /open-apis/drive/v1/files (the drive service's other codes are driveMedia's above).
  { scope: 'driveFiles', code: 1064001, status: 400, msg: 'page size out of range' },
];

const byCode = new Map(errorCatalog.map((entry) => [entry.code, entry]));

/**
 * The catalog entry of a code; a code the catalog lacks gets 400 and msg `unknown`.
 *
 * @example
 * lookUpError(2890003); // { code: 2890003, status: 400, msg: 'record missing', scope: 'whiteboard' }
 */
export function lookUpError(code: number): ErrorCatalogEntry {
  return byCode.get(code) ?? { code, status: 400, msg: 'unknown', scope: 'generic' };
}

/**
 * Whether a code means "rate limited", so its answer carries the `x-ogw-ratelimit-*` headers: the
 * codes the catalog answers with HTTP 429 (99991400, 2890006, 1061045).
 */
export function isRateLimitCode(code: number): boolean {
  return byCode.get(code)?.status === 429;
}
