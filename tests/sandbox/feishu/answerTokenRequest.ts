import { errorReply, jsonReply, type Reply } from './replies';
import { sameText } from './sameText';
import type { TokenStore } from './TokenStore';

/** The credentials of the sandbox's one custom app. */
export interface AppCredentials {
  appId: string;
  appSecret: string;
}

function parseCredentials(body: Buffer): AppCredentials | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { app_id: appId, app_secret: appSecret } = parsed as Record<string, unknown>;
  return typeof appId === 'string' && typeof appSecret === 'string' ? { appId, appSecret } : undefined;
}

/**
 * Answers `POST /open-apis/auth/v3/tenant_access_token/internal`. A body that is not a JSON
 * object with string `app_id` and `app_secret` gets HTTP 400; wrong credentials get HTTP 200
 * with code 10003, as observed: clients must look at `code`, not at the status.
 *
 * @example
 * answerTokenRequest(Buffer.from('{"app_id":"cli_x","app_secret":"s"}'), app, tokens, Date.now(), logId);
 */
export function answerTokenRequest(
  body: Buffer,
  app: AppCredentials,
  tokens: TokenStore,
  now: number,
  logId: string,
): Reply {
  const credentials = parseCredentials(body);
  if (credentials === undefined) return errorReply(400, 10003, 'invalid param', logId);
  // Both comparisons always run, so the answer time does not tell which one failed.
  const idMatches = sameText(credentials.appId, app.appId);
  const secretMatches = sameText(credentials.appSecret, app.appSecret);
  if (!idMatches || !secretMatches) return jsonReply(200, { code: 10003, msg: 'invalid param' });
  const { token, expire } = tokens.issue(now);
  return jsonReply(200, { code: 0, msg: 'ok', tenant_access_token: token, expire });
}
