/** The `kind` of an answer, one per Feishu endpoint. */
export type ImageKind = 'whiteboard' | 'baike' | 'helpdesk-faq' | 'im';

/**
 * Everything the product knows about one Feishu image endpoint. Routes, keys, token rules,
 * headers, cache policy, messages and limits are all derived from these descriptions, so
 * adding an endpoint means adding one of them (plus its two-line function and its entry in
 * serverless.yml).
 */
export interface EndpointDescription {
  kind: ImageKind;
  /** The function's name in serverless.yml. */
  functionName: string;
  /** What one image is called in messages, e.g. "whiteboard thumbnail". */
  noun: string;
  /** The ids, under their payload names, in the order they appear in paths and keys. */
  ids: readonly string[];
  /** The HTTP route of our API, with `{id}` placeholders named as in `ids`. */
  route: string;
  /** The Feishu path, with the same placeholders. */
  feishuPath: string;
  /** The app scope Feishu requires, where the platform documents it; named when it is missing. */
  scope?: string;
  /** Whether a caller's own user_access_token may be used instead of the tenant token. */
  acceptsUserToken: boolean;
  /** Whether calls need the `X-Lark-Helpdesk-Authorization` header. */
  helpdeskAuth: boolean;
  /** Whether an id always names the same bytes, so a stored copy can answer. */
  immutable: boolean;
  /** Feishu's documented rate limit for the endpoint, per app. */
  rateLimit: { perSecond: number; perMinute?: number };
  /** The setting listing the ids a scheduled event without input refreshes, where the endpoint has one. */
  scheduledIdsSetting?: string;
}
