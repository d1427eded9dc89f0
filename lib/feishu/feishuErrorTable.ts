import type { ErrorCode } from '../errors/errorCodes';

/**
 * How the product reacts to one Feishu code.
 * - `retry`: try again with backoff (rate limits, Feishu's own transient failures);
 * - `newToken`: drop the cached tenant token, fetch a new one, retry once; if that fails too,
 *   the code below stands.
 */
export interface FeishuCodeRule {
  code: ErrorCode;
  meaning: string;
  handling?: 'retry' | 'newToken';
  /** The code when the call was made with the caller's own user_access_token. */
  withUserToken?: ErrorCode;
  /** Overrides the code's default `retryable` for the caller. */
  retryable?: boolean;
  /** The setting to check, named in MISCONFIGURED messages. */
  setting?: string;
  /** A used-up quota: Retry-After points at its renewal rather than a moment later. */
  quota?: boolean;
  /**
   * A code that means either "too fast" or "the day's quota is spent": a reset longer than any
   * rate window (a minute) tells the quota apart, which then holds until the next Feishu day.
   */
  dailyQuota?: boolean;
}

const APP = 'FEISHU_APP_ID / FEISHU_APP_SECRET';
const tokenRejected = (meaning: string): FeishuCodeRule => ({
  code: 'MISCONFIGURED',
  meaning,
  handling: 'newToken',
  withUserToken: 'UNAUTHORIZED',
  setting: APP,
});

/**
 * Every documented Feishu code of the token endpoint, the generic codes and the image and
 * document endpoints' own codes, as Feishu's open platform documents them, mapped to the product's error table.
 * The one place where Feishu's codes are interpreted.
 */
export const FEISHU_ERRORS: Readonly<Record<number, FeishuCodeRule>> = {
  // Token endpoint: the app's credentials are wrong.
  10003: { code: 'MISCONFIGURED', meaning: 'Feishu rejected the app credentials (invalid param)', setting: APP },
  10012: { code: 'MISCONFIGURED', meaning: 'Feishu rejected the app credentials', setting: APP },
  10013: { code: 'MISCONFIGURED', meaning: 'Feishu rejected the app credentials', setting: APP },
  10014: { code: 'MISCONFIGURED', meaning: 'Feishu rejected the app secret', setting: APP },
  10015: { code: 'MISCONFIGURED', meaning: 'Feishu rejected the app credentials', setting: APP },
  99991543: { code: 'MISCONFIGURED', meaning: 'Feishu rejected the app credentials', setting: APP },

  // Generic codes, any API.
  99991661: { code: 'MISCONFIGURED', meaning: 'Feishu received no usable Authorization header', setting: APP },
  99991663: tokenRejected('Feishu rejected the tenant access token even after a fresh one was fetched'),
  99991664: tokenRejected('Feishu rejected the app access token even after a fresh one was fetched'),
  99991665: tokenRejected('Feishu rejected the access token even after a fresh one was fetched'),
  99991671: tokenRejected('Feishu says the token is not a tenant (t-) or user (u-) token'),
  99991668: {
    code: 'UPSTREAM_ERROR',
    meaning: 'Feishu reported a user token problem on a call made with the tenant token',
    retryable: false,
    withUserToken: 'UNAUTHORIZED',
  },
  99991677: {
    code: 'UPSTREAM_ERROR',
    meaning: 'Feishu reported an expired user token on a call made with the tenant token',
    retryable: false,
    withUserToken: 'UNAUTHORIZED',
  },
  99991672: {
    code: 'MISCONFIGURED',
    meaning: 'the app has not been granted the scope this API requires',
    setting: 'FEISHU_APP_ID',
  },
  99991673: {
    code: 'MISCONFIGURED',
    meaning: 'the app is not usable in this tenant (not installed or disabled)',
    setting: 'FEISHU_APP_ID',
  },
  99991676: {
    code: 'MISCONFIGURED',
    meaning: 'the token lacks the permission this API requires',
    setting: 'FEISHU_APP_ID',
  },
  99991400: { code: 'RATE_LIMITED', meaning: 'Feishu rate-limited the app', handling: 'retry' },
  99991401: {
    code: 'MISCONFIGURED',
    meaning: "the caller's IP address is not on the app's allow-list",
    setting: 'FEISHU_APP_ID',
  },
  99991403: { code: 'RATE_LIMITED', meaning: "the app's monthly call quota is used up", retryable: false, quota: true },

  // board/v1 whiteboards download_as_image
  2890001: { code: 'INVALID_REQUEST', meaning: 'Feishu says the whiteboard id has an invalid format' },
  2890002: { code: 'INVALID_REQUEST', meaning: 'Feishu says an argument is invalid' },
  2890003: { code: 'NOT_FOUND', meaning: 'the whiteboard does not exist or was deleted' },
  2890004: tokenRejected('Feishu rejected the authentication for the whiteboard API'),
  2890005: { code: 'FORBIDDEN', meaning: 'no read permission on the whiteboard' },
  2890006: { code: 'RATE_LIMITED', meaning: 'Feishu rate-limited the whiteboard API', handling: 'retry' },
  2891001: { code: 'UPSTREAM_ERROR', meaning: 'Feishu had an internal error', handling: 'retry' },

  // baike/v1 files download
  1540001: { code: 'INVALID_REQUEST', meaning: 'Feishu says the file token is invalid' },
  1540002: { code: 'UPSTREAM_ERROR', meaning: 'Feishu reported a network anomaly', handling: 'retry' },

  // helpdesk/v1 faqs image
  154000: { code: 'INVALID_REQUEST', meaning: 'Feishu says the request is invalid' },
  154001: {
    code: 'MISCONFIGURED',
    meaning: 'Feishu rejected the helpdesk credentials',
    setting: 'FEISHU_HELPDESK_ID / FEISHU_HELPDESK_TOKEN',
  },
  154003: { code: 'FORBIDDEN', meaning: 'no access to the FAQ image' },
  154004: { code: 'NOT_FOUND', meaning: 'the FAQ or its image does not exist' },
  155000: { code: 'UPSTREAM_ERROR', meaning: 'Feishu had an internal error', handling: 'retry' },

  // im/v1 images
  234001: { code: 'INVALID_REQUEST', meaning: 'Feishu says the image key is invalid' },
  234002: tokenRejected('Feishu rejected the authorization for the im API'),
  234005: { code: 'NOT_FOUND', meaning: 'the image was deleted' },
  234007: { code: 'MISCONFIGURED', meaning: 'the bot capability is not enabled for the app', setting: 'FEISHU_APP_ID' },
  234008: { code: 'FORBIDDEN', meaning: 'the image was not uploaded by this app' },
  234041: { code: 'UPSTREAM_ERROR', meaning: "the tenant's encryption key was deleted", retryable: false },
  234042: { code: 'UPSTREAM_ERROR', meaning: "the tenant's storage failed", retryable: false },

  // im/v1 messages resources (234001, 234002 and 234007 as above)
  230110: { code: 'NOT_FOUND', meaning: 'the message was deleted' },
  234003: { code: 'NOT_FOUND', meaning: 'the file is not in this message' },
  234004: { code: 'FORBIDDEN', meaning: 'the app is not in the chat of the message: add its bot to the chat' },
  234009: { code: 'FORBIDDEN', meaning: 'the app has no permission to read the message' },
  234037: { code: 'PAYLOAD_TOO_LARGE', meaning: 'the file is over 100 MB, the most Feishu serves of a message' },
  234038: { code: 'FORBIDDEN', meaning: "the chat's settings forbid downloading its resources" },
  234040: { code: 'FORBIDDEN', meaning: 'the message is not visible to the app' },
  234043: {
    code: 'INVALID_REQUEST',
    meaning: 'the message type has no downloadable image (stickers, merged-forward and card messages)',
  },

  // drive/v1 medias download
  1061001: { code: 'UPSTREAM_ERROR', meaning: 'Feishu had an unknown error', handling: 'retry' },
  1061002: { code: 'INVALID_REQUEST', meaning: 'Feishu says a parameter is invalid' },
  1061003: { code: 'NOT_FOUND', meaning: 'the media does not exist' },
  1061004: {
    code: 'FORBIDDEN',
    meaning: 'no access to the media: add the app to the document that holds it, and give its documentId',
  },
  1061005: tokenRejected('Feishu rejected the authentication for the drive API'),
  1061006: { code: 'UPSTREAM_ERROR', meaning: 'Feishu timed out internally', handling: 'retry' },
  1061007: { code: 'NOT_FOUND', meaning: 'the media was deleted' },
  1061045: {
    code: 'RATE_LIMITED',
    meaning: 'Feishu rate-limited the app on the drive API',
    handling: 'retry',
    dailyQuota: true,
  },
  1061073: {
    code: 'MISCONFIGURED',
    meaning: 'the app has not been granted the scope this API requires',
    setting: 'FEISHU_APP_ID',
  },

  // drive/v1 files (the listing of a folder; the drive service's other codes as above)
  1064001: { code: 'INVALID_REQUEST', meaning: 'Feishu says the page size is out of range' },

  // wiki/v2 spaces nodes (every code with HTTP 400)
  131001: { code: 'UPSTREAM_ERROR', meaning: "Feishu's wiki service failed a call (rpc fail)", handling: 'retry' },
  131002: { code: 'INVALID_REQUEST', meaning: 'Feishu says a parameter is invalid' },
  131003: { code: 'INVALID_REQUEST', meaning: 'Feishu says a limit of the wiki space was passed' },
  131004: {
    code: 'UPSTREAM_ERROR',
    meaning: 'Feishu reported an invalid user on a call made with the tenant token',
    retryable: false,
    withUserToken: 'UNAUTHORIZED',
  },
  131005: { code: 'NOT_FOUND', meaning: 'the wiki space or node does not exist' },
  131006: {
    code: 'FORBIDDEN',
    meaning: 'the app may not read the wiki space: add the app to the space as a member',
  },
  131007: { code: 'UPSTREAM_ERROR', meaning: 'Feishu had an internal error', handling: 'retry' },

  // docx/v1 documents blocks
  1770001: { code: 'INVALID_REQUEST', meaning: 'Feishu says a parameter is invalid' },
  1770002: { code: 'NOT_FOUND', meaning: 'the document does not exist or was deleted' },
  1770032: {
    code: 'FORBIDDEN',
    meaning: 'the app may not read the document: add the app to the document as a collaborator',
  },
};
