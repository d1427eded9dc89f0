/**
 * Known secrets, most recently used last. Bounded: every user token a warm container receives
 * is registered, and each secret is registered again whenever it is used, so a secret in use
 * is always known while old user tokens fall out.
 */
const secrets = new Map<string, true>();
const MAX_SECRETS = 1000;

/**
 * Feishu access tokens: t- (tenant), u- (user), a- (app), then a long opaque string. The start
 * counts as a word boundary after a non-alphanumeric character or after a percent-encoded
 * byte (`Bearer%20t-…`, `%3Du-…`, doubly encoded too), and the string may itself be
 * percent-encoded.
 */
const TOKEN_PATTERN = /(?<=^|[^A-Za-z0-9]|%(?:25)*[0-9A-Fa-f]{2})[tua]-(?:[A-Za-z0-9._~+/=-]|%[0-9A-Fa-f]{2}){12,}/g;

/**
 * Registers a secret (app secret, helpdesk token, helpdesk header, tenant or user token) so that
 * `redact` removes it, and its percent-encoded form, wherever it appears.
 *
 * @example
 * rememberSecret(userAccessToken);
 */
export function rememberSecret(secret: string): void {
  if (secret.length < 4) return;
  const encoded = encodeURIComponent(secret);
  // Strict encoders (RFC 3986) also encode !'()*, which encodeURIComponent leaves alone.
  const strict = encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  for (const form of new Set([secret, encoded, strict])) {
    secrets.delete(form);
    secrets.set(form, true);
  }
  while (secrets.size > MAX_SECRETS) secrets.delete(secrets.keys().next().value as string);
}

/**
 * Removes known secrets and anything shaped like a Feishu access token from text that came
 * from outside (Feishu's messages, error causes) before it reaches a log line or an answer.
 *
 * @example
 * redact('token t-g1044q7TSTL... is invalid') // 'token [redacted] is invalid'
 */
export function redact(text: string): string {
  let out = text;
  // Longest first: a secret that contains another is removed whole.
  for (const secret of [...secrets.keys()].sort((a, b) => b.length - a.length))
    out = out.split(secret).join('[redacted]');
  return out.replace(TOKEN_PATTERN, '[redacted]');
}

/** Whether text holds a known secret or a token's shape. */
export function holdsSecret(text: string): boolean {
  return redact(text) !== text;
}
