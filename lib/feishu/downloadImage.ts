import { parse as parseContentType } from 'content-type';
import { subjectOf, type EndpointDescription } from '../endpoints';
import { MirrorError } from '../errors/MirrorError';
import type { Deadline } from '../runtime/Deadline';
import { rememberSecret } from '../runtime/redact';
import type { CallLimiter } from './RateLimiters';
import type { Settings } from '../settings/Settings';
import { MAX_ANSWER_BYTES, readText, type FeishuHttpResponse, type HeaderReader } from '../clients/feishuHttp';
import { feishuImageUrl } from './feishuUrl';
import { forgetSecret, resolveSecret } from './resolveSecret';
import { waitBeforeRetry } from './retryPolicy';
import { invalidateTenantToken, tenantToken, type FeishuClients } from './tenantToken';
import {
  feishuLogId,
  translateFeishuFailure,
  type FeishuCallContext,
  type FeishuFailure,
} from './translateFeishuFailure';

/** A Feishu answer whose body is (supposedly) the image, not yet read. */
export interface FeishuImageResponse {
  body: AsyncIterable<Uint8Array>;
  /** Feishu's media type, lower-cased, without parameters; undefined when absent or malformed. */
  contentType?: string;
  contentLength?: number;
  logId?: string;
  headers: HeaderReader;
  /** How many calls it took, retries included. */
  attempts: number;
}

/** One image to download. */
export interface DownloadRequest {
  endpoint: EndpointDescription;
  source: Readonly<Record<string, string>>;
  /** The caller's own token, for endpoints that accept one. */
  userAccessToken?: string;
  /** Keeps the invocation's calls within the endpoint's rate limit (batches share one). */
  limiter?: CallLimiter;
}

/**
 * Calls Feishu for one image and returns the open response once Feishu has answered 200.
 * Transient failures (5xx, network errors, rate limits) are retried with backoff and jitter,
 * honouring `x-ogw-ratelimit-reset`, never past the deadline; a rejected tenant token is
 * replaced and the call retried once; everything else becomes the error of the table.
 *
 * @example
 * const image = await downloadImage({ endpoint: im, source: { imageKey } }, settings, deadline, clients);
 */
export async function downloadImage(
  request: DownloadRequest,
  settings: Settings,
  deadline: Deadline,
  clients: FeishuClients,
): Promise<FeishuImageResponse> {
  const { endpoint, source, userAccessToken, limiter } = request;
  const url = feishuImageUrl(settings.feishuBaseUrl, endpoint, source);
  const subject = subjectOf(endpoint, source);
  const helpdeskHeader = await helpdeskAuthorization(settings, clients, deadline);
  if (userAccessToken !== undefined) rememberSecret(userAccessToken);
  let renewedToken = false;

  for (let attempt = 1; ; attempt += 1) {
    const token = userAccessToken ?? (await tenantToken(settings, deadline, clients));
    let response: FeishuHttpResponse;
    const release = await limiter?.acquire(deadline, subject);
    try {
      response = await clients.feishuHttp(url, {
        headers: {
          authorization: `Bearer ${token}`,
          ...(helpdeskHeader ? { 'x-lark-helpdesk-authorization': helpdeskHeader } : {}),
        },
        signal: deadline.signal,
      });
    } catch (error) {
      if (deadline.expired) throw timeout(subject, error);
      if (await waitBeforeRetry(attempt, deadline)) continue;
      throw new MirrorError('UPSTREAM_ERROR', `${subject}: could not reach Feishu after ${attempt} attempts`, {
        cause: error,
      });
    } finally {
      release?.();
    }

    if (response.status === 200) {
      return {
        body: response.body ?? noBytes(),
        contentType: mediaType(response.headers.get('content-type')),
        contentLength: contentLength(response.headers.get('content-length')),
        logId: feishuLogId(response.headers),
        headers: response.headers,
        attempts: attempt,
      };
    }

    const failure = await readFailure(
      response,
      { endpoint, subject, withUserToken: userAccessToken !== undefined },
      deadline,
    );
    if (failure.handling === 'newToken' && !renewedToken) {
      renewedToken = true;
      invalidateTenantToken(settings, token);
      continue;
    }
    if (failure.handling === 'retry' && (await waitBeforeRetry(attempt, deadline, failure.resetSeconds))) continue;
    if (failure.error.feishuCode === 154001 && settings.helpdesk) forgetSecret(settings.helpdesk.token);
    throw failure.error;
  }
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
    if (deadline.expired) throw timeout(context.subject, error);
    // An unreadable error body still has a status worth translating.
  }
  return translateFeishuFailure({ status: response.status, headers: response.headers, body }, context);
}

async function* noBytes(): AsyncGenerator<Uint8Array> {
  // A 200 without a body: the sniffing then refuses it as empty.
}

function timeout(subject: string, cause: unknown): MirrorError {
  return new MirrorError('UPSTREAM_TIMEOUT', `${subject}: Feishu did not answer in the time the invocation had left`, {
    cause,
  });
}

/**
 * The media type of a Content-Type header, lower-cased; undefined when absent or not well-formed
 * (then the bytes tell).
 */
function mediaType(header: string | null): string | undefined {
  if (header === null) return undefined;
  try {
    return parseContentType(header).type;
  } catch {
    return undefined;
  }
}

function contentLength(header: string | null): number | undefined {
  return header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
}
