/** One image to mirror, with the caller's options, whatever event it came in. */
export interface MirrorRequest {
  /** The ids under their payload names, e.g. `{ faqId, imageKey }`. */
  source: Record<string, string>;
  /** A document's block options (`whiteboards`), each true unless the caller set it false. */
  blockOptions?: Readonly<Record<string, boolean>>;
  /** Fetch from Feishu even when a stored copy could answer. */
  refresh: boolean;
  expiresInSeconds: number;
  /** Serve the file as an attachment rather than inline. */
  download: boolean;
  /** Over HTTP: answer 302 to the URL instead of JSON. */
  redirect: boolean;
  /** The caller's own Feishu user_access_token, used instead of the tenant token. */
  userAccessToken?: string;
}
