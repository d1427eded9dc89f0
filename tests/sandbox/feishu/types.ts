import type { ChatPost, PostedMessage } from './chatMessages';
import type { DocumentBlockInput } from './documentBlocks';
import type { RateLimitCounting } from './RateLimitCounter';
import type { Delivery, DeliveryOptions, UrlVerificationResult } from './sendEvents';
import type { ListingEnd } from './servedDocuments';

/**
 * The endpoints that answer an image (docs/feishu-platform.md): the first four, then message
 * resources (`imMessage`) and document media (`driveMedia`).
 */
export type DownloadEndpoint = 'whiteboard' | 'baike' | 'helpdesk' | 'im' | 'imMessage' | 'driveMedia';

/** The endpoints that answer JSON about a document: the blocks of a docx document. */
export type DocumentEndpoint = 'docxBlocks';

/** The endpoints that list a wiki space's nodes and a Drive folder's files (servedSpaces.ts). */
export type ListingEndpoint = 'wikiNodes' | 'driveFiles';

/** Every endpoint behind a token, each with its own description in endpoints.ts. */
export type ApiEndpoint = DownloadEndpoint | DocumentEndpoint | ListingEndpoint;

/** Every endpoint the sandbox tells apart; `unknown` is any path the gateway does not route. */
export type Endpoint = 'token' | ApiEndpoint | 'unknown';

/**
 * What the Authorization header of a request carried: a live token the sandbox knows (`tenant`,
 * `user`; a user token is still `user` on an endpoint that refuses user tokens), no header at
 * all (`none`, also every token request), or anything else (`invalid`: malformed, wrong prefix,
 * unknown, revoked or expired).
 */
export type TokenKind = 'tenant' | 'user' | 'none' | 'invalid';

/** One request as the sandbox saw it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** The path with its query string exactly as sent (`request.url`), e.g. `…/resources/file_1?type=image`. */
  url: string;
  /** The query parameters, percent-decoded: `extra` reads `{"doc_id":"…","doc_type":"docx"}`. */
  query: Record<string, string>;
  endpoint: Endpoint;
  /** The HTTP status answered; 0 while pending and for requests never answered (`hang`, `down`). */
  status: number;
  /** When the request arrived, in ms since the epoch. */
  at: number;
  tokenKind: TokenKind;
  /** The `X-Tt-Logid` of the answer; empty for requests never answered. */
  logId: string;
  /** Bytes of the body the client took before the answer ended or the client went away. */
  bytesSent: number;
}

export interface FeishuSandboxOptions {
  /** Default 0: a random free port. The host is always 127.0.0.1. */
  port?: number;
  /** Default `cli_sandbox0000000`. */
  appId?: string;
  /** Default `sandbox-app-secret-0000`. */
  appSecret?: string;
  /** Default `7000000000000000001`. */
  helpdeskId?: string;
  /** Default `sandbox-helpdesk-token-0000`. */
  helpdeskToken?: string;
  /** Default 7200: the `expire` of a newly issued tenant token. */
  tokenExpireSeconds?: number;
  /** Default true: enforce the per-endpoint rate limits. */
  rateLimits?: boolean;
  /**
   * Default `aligned`: how the per-second and per-minute windows count calls (RateLimitCounter):
   * fixed windows aligned to the clock, `sliding` windows, or a `token-bucket` of the same limit.
   */
  rateLimitCounting?: RateLimitCounting;
  /** Default 0: a delay before answering each request. */
  latencyMs?: number;
  /**
   * Default 10,000: the calls to document media an app may make in one Feishu day (from midnight
   * UTC+8). Enforced whatever `rateLimits` says, since it is a quota rather than a rate;
   * `Infinity` turns it off.
   */
  driveMediaDailyQuota?: number;
  /** Default none: the app's event URL, where events go (setEventUrl sets it later). */
  eventUrl?: string;
  /** Default `sandbox-encrypt-key-0000`: the app's Encrypt Key, which encrypts and signs its events. */
  encryptKey?: string;
  /** Default `sandbox-verification-token-0000`: the app's Verification Token, `header.token` of its events. */
  verificationToken?: string;
  /**
   * Default Feishu's [15000, 300000, 3600000, 21600000]: the waits before the retries of a failed
   * delivery (at most four used), and before each redelivery after a success.
   */
  eventRetryDelaysMs?: readonly number[];
}

/** What a fault does to the request it hits. */
export type FaultKind =
  /** Answer that status with a JSON error body. */
  | { type: 'status'; status: number; code?: number; msg?: string }
  /** Answer a rate-limit error with `x-ogw-ratelimit-reset: resetSeconds`. */
  | { type: 'rateLimit'; resetSeconds: number; status?: 429 | 400; code?: number }
  /** Send the headers with the full Content-Length, `afterBytes` of the body, then destroy the socket. */
  | { type: 'dropMidBody'; afterBytes: number }
  /** Send only `bytes` of the body under the full Content-Length, end the response and close the connection. */
  | { type: 'shortBody'; bytes: number }
  /** Never answer; the socket stays open until `close()`. */
  | { type: 'hang' }
  /** Answer HTTP 200 with that nonzero code, as the token endpoint does. */
  | { type: 'tokenError'; code: number; msg?: string }
  /** Destroy the socket at once without answering. */
  | { type: 'down' }
  /**
   * Answer exactly this, as a misbehaving Feishu (or whatever stands in its place) might: any
   * status, headers (`X-Tt-Logid` among them, replacing the sandbox's own) and body, a big one
   * given as `{ length, chunk }` (the chunk repeated, cut to length).
   */
  | {
      type: 'raw';
      status: number;
      headers?: Record<string, string>;
      body?: string | Buffer | { length: number; chunk: Buffer };
    }
  /**
   * Answer a JSON error whose `msg` echoes what the request carried: `{authorization}` and
   * `{helpdesk}` stand for its Authorization and X-Lark-Helpdesk-Authorization headers, and
   * `{authorization:uri}` for the former percent-encoded, as a careless gateway might.
   */
  | { type: 'echo'; status: number; code: number; msg: string };

/** A fault queued with {@link FeishuSandbox.fault}. */
export interface Fault {
  /** Default: any endpoint but the token endpoint. */
  endpoint?: Exclude<Endpoint, 'unknown'>;
  /** How many matching requests it hits; default 1; `Infinity` allowed. */
  times?: number;
  kind: FaultKind;
}

/** A running sandbox. */
export interface FeishuSandbox {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  url: string;
  appId: string;
  appSecret: string;
  helpdeskId: string;
  helpdeskToken: string;
  encryptKey: string;
  verificationToken: string;
  /** Where events go; undefined until given. */
  readonly eventUrl: string | undefined;
  /** Every event delivery started, in order, each with its attempts so far. */
  eventDeliveries: Delivery[];
  /** Every request in the order it arrived, faulted ones included (not the sandbox's own chat route). */
  requests: RecordedRequest[];
  /** The number of recorded requests, to one endpoint or to all. */
  count(endpoint?: Endpoint): number;
  /**
   * Forgets recorded requests, queued faults, issued and revoked tenant tokens, rate-limit windows,
   * the document-media calls counted today, the page tokens issued and the event deliveries
   * recorded (deliveries under way go on); user tokens, documents, the daily quota and the event
   * URL are configuration, so they stay.
   */
  reset(): void;
  /** Makes the sandbox accept a user_access_token; it must start with `u-`. */
  addUserToken(token: string): void;
  /** Invalidates every tenant token issued so far; the next token request issues a new one. */
  revokeTenantTokens(): void;
  /**
   * Serves a docx document of these blocks (in document order, containers holding their
   * children) under this id, replacing any document of that id; see documentBlocks.ts. `ending`
   * makes its listing misbehave after its last page, as a faulty Feishu's might (servedDocuments.ts).
   */
  addDocument(documentId: string, blocks: readonly DocumentBlockInput[], ending?: ListingEnd): void;
  /**
   * Makes a generated document of a wiki space or Drive folder (`doxgenw…`, `doxgenf…`) look
   * edited: its node's `obj_edit_time` or its file's `modified_time` becomes the current second.
   */
  editDocument(documentId: string): void;
  /** Changes the daily quota of document media from now on; the calls already counted today stay counted. */
  setDriveMediaDailyQuota(quota: number): void;
  /** Sends later events to this URL; deliveries already under way keep theirs. */
  setEventUrl(url: string): void;
  /**
   * Starts delivering any event (built with feishuEvents.ts) to the event URL, as Feishu does
   * (sendEvents.ts), and returns at once; throws while there is no event URL.
   */
  sendEvent(event: unknown, options?: DeliveryOptions): Delivery;
  /**
   * Posts an image or a post of N images in a chat: fresh ids whose images the message-resource
   * endpoint serves as PNGs, and its `im.message.receive_v1` event delivered with sendEvent.
   * Also `POST /sandbox/chats/{chatId}/messages` over HTTP (answerChatPost.ts).
   */
  postToChat(post: ChatPost): PostedMessage;
  /** Sends url_verification to the event URL, as Feishu does when it is saved, and checks the echo. */
  verifyEventUrl(challenge?: string): Promise<UrlVerificationResult>;
  /** Queues a fault; faults apply in the order queued, before normal handling. */
  fault(f: Fault): void;
  /** Closes the server, destroys every open socket, hanging ones included, and cancels every event delivery. */
  close(): Promise<void>;
}
