const secrets = new Set<string>();

// Feishu access tokens: t- (tenant), u- (user), a- (app), followed by a long opaque string.
const TOKEN_PATTERN = /\b[tua]-[A-Za-z0-9._~+/=-]{12,}/g;

/** Registers a secret (app secret, helpdesk token) so `redact` removes it wherever it appears. */
export function rememberSecret(secret: string): void {
  if (secret.length >= 4) secrets.add(secret);
}

/**
 * Removes known secrets and anything shaped like a Feishu access token from text that came
 * from outside (Feishu's messages, error causes) before it reaches a log line or an answer.
 *
 * @example
 * redact('token t-g1044q7TSTL... is invalid') // 'token [redacted] is invalid'
 */
export function redact(text: string): string {
  let out = text.replace(TOKEN_PATTERN, '[redacted]');
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}
