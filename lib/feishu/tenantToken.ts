import type { Clients } from '../clients/Clients';
import { MirrorError } from '../errors/MirrorError';
import type { Deadline } from '../runtime/Deadline';
import { rememberSecret } from '../runtime/redact';
import type { Settings } from '../settings/Settings';
import { MAX_ANSWER_BYTES, readText, type FeishuHttpResponse } from '../clients/feishuHttp';
import { forgetSecret, resolveSecret } from './resolveSecret';
import { waitBeforeRetry } from './retryPolicy';
import { translateFeishuFailure } from './translateFeishuFailure';

/** The clients a call to Feishu needs: its HTTP API, and SSM for secrets kept there. */
export type FeishuClients = Pick<Clients, 'feishuHttp' | 'parameters'>;

/** Refresh this long before Feishu's `expire`, as the official SDKs do. */
const EXPIRY_MARGIN_MS = 3 * 60 * 1000;
const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

interface CachedToken {
  token: string;
  refreshAt: number;
}

// One entry per app and host, kept across warm invocations of the container.
const cache = new Map<string, CachedToken>();
const inFlight = new Map<string, Promise<string>>();
let tokenRequests = 0;

/**
 * The app's tenant_access_token: from the container's cache while it has more than three
 * minutes left, else fetched once however many requests need it at the same time (single
 * flight). A failed fetch is never cached: the next caller tries again.
 *
 * @example
 * const token = await tenantToken(settings, deadline, clients);
 */
export async function tenantToken(settings: Settings, deadline: Deadline, clients: FeishuClients): Promise<string> {
  const key = cacheKey(settings);
  const cached = cache.get(key);
  if (cached && Date.now() < cached.refreshAt) {
    // Registered at every use, so it stays known to redaction however many user tokens pass.
    rememberSecret(cached.token);
    return cached.token;
  }
  let pending = inFlight.get(key);
  if (!pending) {
    pending = fetchTenantToken(settings, deadline, clients)
      .then((fresh) => {
        rememberSecret(fresh.token);
        cache.set(key, { token: fresh.token, refreshAt: Date.now() + refreshInMs(fresh.expireSeconds) });
        return fresh.token;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

/**
 * Drops a token Feishu rejected, so that the next `tenantToken` fetches a new one. A token
 * that another request has already replaced is left alone.
 */
export function invalidateTenantToken(settings: Settings, rejected: string): void {
  const key = cacheKey(settings);
  if (cache.get(key)?.token === rejected) cache.delete(key);
}

/** How many token requests this container has sent: for logs and tests. */
export function tenantTokenRequestCount(): number {
  return tokenRequests;
}

/** Forgets every cached token; for tests that need a cold container. */
export function clearTenantTokens(): void {
  cache.clear();
}

function cacheKey(settings: Settings): string {
  return `${settings.feishuBaseUrl}|${settings.appId}`;
}

function refreshInMs(expireSeconds: number): number {
  const lifetime = expireSeconds * 1000;
  // A token about to run out (Feishu hands back the old one with a small `expire`) is used
  // for half of what it has left rather than not at all.
  return lifetime > 2 * EXPIRY_MARGIN_MS ? lifetime - EXPIRY_MARGIN_MS : lifetime / 2;
}

const TOKEN_CALL = { subject: 'tenant access token', withUserToken: false } as const;

async function fetchTenantToken(
  settings: Settings,
  deadline: Deadline,
  clients: FeishuClients,
): Promise<{ token: string; expireSeconds: number }> {
  const appSecret = await resolveSecret(settings.appSecret, clients, deadline.signal);
  const body = JSON.stringify({ app_id: settings.appId, app_secret: appSecret });
  for (let attempt = 1; ; attempt += 1) {
    let response: FeishuHttpResponse;
    let text: string;
    try {
      tokenRequests += 1;
      response = await clients.feishuHttp(settings.feishuBaseUrl + TOKEN_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        signal: deadline.signal,
      });
      text = await readText(response, MAX_ANSWER_BYTES);
    } catch (error) {
      if (deadline.expired)
        throw new MirrorError('UPSTREAM_TIMEOUT', 'Feishu did not issue a tenant access token in the time left', {
          cause: error,
        });
      if (await waitBeforeRetry(attempt, deadline)) continue;
      throw new MirrorError(
        'UPSTREAM_ERROR',
        `could not reach Feishu for a tenant access token after ${attempt} attempts`,
        { cause: error },
      );
    }
    const issued = response.status === 200 ? issuedToken(text) : undefined;
    if (issued) return issued;
    // Failures come as `code != 0`, often with HTTP 200: the same table as every other call.
    const failure = translateFeishuFailure(
      { status: response.status, headers: response.headers, body: text },
      TOKEN_CALL,
    );
    if (failure.handling === 'retry' && (await waitBeforeRetry(attempt, deadline, failure.resetSeconds))) continue;
    if (failure.error.code === 'MISCONFIGURED') forgetSecret(settings.appSecret);
    throw failure.error;
  }
}

function issuedToken(text: string): { token: string; expireSeconds: number } | undefined {
  try {
    const parsed = JSON.parse(text) as { code?: unknown; tenant_access_token?: unknown; expire?: unknown };
    const { code, tenant_access_token: token, expire } = parsed;
    if (code === 0 && typeof token === 'string' && token !== '' && typeof expire === 'number' && expire > 0)
      return { token, expireSeconds: expire };
  } catch {
    // Not JSON: translated as a failure by the caller.
  }
  return undefined;
}
