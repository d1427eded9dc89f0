import type { EndpointDescription } from '../endpoints';
import { MirrorError } from '../errors/MirrorError';
import type { MetricTally } from '../metrics/MetricTally';
import type { Deadline } from '../runtime/Deadline';
import { rememberSecret } from '../runtime/redact';
import type { Settings } from '../settings/Settings';
import { MAX_ANSWER_BYTES, readText, type FeishuHttpResponse } from '../clients/feishuHttp';
import type { CallLimiter } from './RateLimiters';
import { forgetSecret, resolveSecret } from './resolveSecret';
import { waitBeforeRetry } from './retryPolicy';
import { invalidateTenantToken, tenantToken, type FeishuClients } from './tenantToken';
import { translateFeishuFailure, type FeishuCallContext, type FeishuFailure } from './translateFeishuFailure';

/** One GET of a Feishu API on behalf of the app, or of a caller with their own token. */
export interface FeishuCall {
  endpoint: EndpointDescription;
  url: string;
  /** What the call is about, for messages: "whiteboard thumbnail wb_123". */
  subject: string;
  /** The caller's own token, for endpoints that accept one. */
  userAccessToken?: string;
  /** Keeps the invocation's calls within the endpoint's rate limit. */
  limiter?: CallLimiter;
  /** The invocation's metrics: each call, its latency, a rate-limit answer, the daily quota used. */
  metrics?: MetricTally;
}

/** Feishu's 200, its body still to read, and how many calls it took. */
export interface FeishuSuccess {
  response: FeishuHttpResponse;
  attempts: number;
}

/**
 * Calls Feishu until it answers 200 and returns that answer with its body unread. Transient
 * failures (5xx, network errors, rate limits) are retried with backoff and jitter, honouring
 * `x-ogw-ratelimit-reset`, never past the deadline; a rejected tenant token is replaced and the
 * call retried once; a spent daily quota stops the endpoint's calls until the next day; anything
 * else becomes the error of the table.
 *
 * @example
 * const call = { endpoint: docx, url, subject: 'docx document doxcn1' };
 * const { response } = await callFeishu(call, settings, deadline, clients);
 */
export async function callFeishu(
  call: FeishuCall,
  settings: Settings,
  deadline: Deadline,
  clients: FeishuClients,
): Promise<FeishuSuccess> {
  const { endpoint, url, subject, userAccessToken, limiter, metrics } = call;
  const kind = { kind: endpoint.kind };
  const quota = settings.rateLimits[endpoint.kind]?.perDay !== undefined;
  const helpdeskHeader = await helpdeskAuthorization(settings, clients, deadline);
  if (userAccessToken !== undefined) rememberSecret(userAccessToken);
  let renewedToken = false;

  for (let attempt = 1; ; attempt += 1) {
    const token = userAccessToken ?? (await tenantToken(settings, deadline, clients));
    let response: FeishuHttpResponse;
    const release = await limiter?.acquire(deadline, subject);
    metrics?.add('FeishuCalls', 1, kind);
    if (quota) metrics?.add('DailyQuotaUsed', 1, kind);
    const sent = Date.now();
    try {
      response = await clients.feishuHttp(url, {
        headers: {
          authorization: `Bearer ${token}`,
          ...(helpdeskHeader ? { 'x-lark-helpdesk-authorization': helpdeskHeader } : {}),
        },
        signal: deadline.signal,
      });
    } catch (error) {
      if (deadline.expired) throw feishuTimeout(subject, error);
      if (await waitBeforeRetry(attempt, deadline)) continue;
      throw new MirrorError('UPSTREAM_ERROR', `${subject}: could not reach Feishu after ${attempt} attempts`, {
        cause: error,
      });
    } finally {
      release?.();
    }
    metrics?.record('FeishuLatency', Date.now() - sent, kind);

    if (response.status === 200) return { response, attempts: attempt };

    const failure = await readFailure(
      response,
      { endpoint, subject, withUserToken: userAccessToken !== undefined },
      deadline,
    );
    if (failure.error.code === 'RATE_LIMITED') metrics?.add('FeishuRateLimited', 1, kind);
    if (failure.handling === 'newToken' && !renewedToken) {
      renewedToken = true;
      invalidateTenantToken(settings, token);
      continue;
    }
    if (failure.handling === 'retry' && (await waitBeforeRetry(attempt, deadline, failure.resetSeconds))) continue;
    if (failure.handling === 'quotaUsedUp') limiter?.quotaUsedUp();
    if (failure.error.feishuCode === 154001 && settings.helpdesk) forgetSecret(settings.helpdesk.token);
    throw failure.error;
  }
}

/** UPSTREAM_TIMEOUT: Feishu did not answer, or its body did not arrive, in the time left. */
export function feishuTimeout(subject: string, cause: unknown): MirrorError {
  return new MirrorError('UPSTREAM_TIMEOUT', `${subject}: Feishu did not answer in the time the invocation had left`, {
    cause,
  });
}

async function helpdeskAuthorization(
  settings: Settings,
  clients: FeishuClients,
  deadline: Deadline,
): Promise<string | undefined> {
  if (!settings.helpdesk) return undefined;
  const token = await resolveSecret(settings.helpdesk.token, clients, deadline.signal);
  // The documented form is the bare base64 of "id:token" (the Node SDK's "Bearer " prefix is not).
  const header = Buffer.from(`${settings.helpdesk.id}:${token}`).toString('base64');
  rememberSecret(header);
  return header;
}

async function readFailure(
  response: FeishuHttpResponse,
  context: FeishuCallContext,
  deadline: Deadline,
): Promise<FeishuFailure> {
  let body = '';
  try {
    body = await readText(response, MAX_ANSWER_BYTES);
  } catch (error) {
    if (deadline.expired) throw feishuTimeout(context.subject, error);
    // An unreadable error body still has a status worth translating.
  }
  return translateFeishuFailure({ status: response.status, headers: response.headers, body }, context);
}
