import { subjectOf, type EndpointDescription } from '../endpoints';
import { MirrorError } from '../errors/MirrorError';
import type { Deadline } from '../runtime/Deadline';
import type { FeishuRateLimiter } from './FeishuRateLimiter';
import type { Settings } from '../settings/Settings';
import type { FeishuHttpResponse, HeaderReader } from './feishuHttp';
import { feishuImageUrl } from './feishuUrl';
import { forgetSecret, resolveSecret } from './resolveSecret';
import { waitBeforeRetry } from './retryPolicy';
import { invalidateTenantToken, tenantToken, type FeishuClients } from './tenantToken';
import { feishuLogId, translateFeishuFailure, type FeishuCallContext, type FeishuFailure } from './translateFeishuFailure';

/** A Feishu answer whose body is (supposedly) the image, not yet read. */
export interface FeishuImageResponse {
  body: AsyncIterable<Uint8Array>;
  /** Feishu's Content-Type, lower-cased, without parameters; undefined when absent. */
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
  limiter?: FeishuRateLimiter;
}

/** Error bodies are small; reading more than this is pointless. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Calls Feishu for one image and returns the open response once Feishu has answered 200.
 * Transient failures (5xx, network errors, rate limits) are retried with backoff and jitter,
 * honouring `x-ogw-ratelimit-reset`, never past the deadline; a rejected tenant token is
 * replaced and the call retried once; everything else becomes the error of the table.
 *
 * @example
 * const image = await downloadImage({ endpoint: im, source: { imageKey } }, settings, deadline, clients);
 */
export async function downloadImage(request: DownloadRequest, settings: Settings, deadline: Deadline, clients: FeishuClients): Promise<FeishuImageResponse> {
  const { endpoint, source, userAccessToken, limiter } = request;
  const url = feishuImageUrl(settings.feishuBaseUrl, endpoint, source);
  const subject = subjectOf(endpoint, source);
  const helpdeskHeader = await helpdeskAuthorization(settings, clients, deadline);
  let renewedToken = false;

  for (let attempt = 1; ; attempt += 1) {
    const token = userAccessToken ?? (await tenantToken(settings, deadline, clients));
    let response: FeishuHttpResponse;
    const release = await limiter?.acquire(deadline, subject);
    try {
      response = await clients.feishuHttp(url, {
        headers: { authorization: `Bearer ${token}`, ...(helpdeskHeader ? { 'x-lark-helpdesk-authorization': helpdeskHeader } : {}) },
        signal: deadline.signal,
      });
    } catch (error) {
      if (deadline.expired) throw timeout(subject, error);
      if (await waitBeforeRetry(attempt, deadline)) continue;
      throw new MirrorError('UPSTREAM_ERROR', `${subject}: could not reach Feishu after ${attempt} attempts`, { cause: error });
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

    const failure = await readFailure(response, { endpoint, subject, withUserToken: userAccessToken !== undefined }, deadline);
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

async function helpdeskAuthorization(settings: Settings, clients: FeishuClients, deadline: Deadline): Promise<string | undefined> {
  if (!settings.helpdesk) return undefined;
  const token = await resolveSecret(settings.helpdesk.token, clients, deadline.signal);
  // The documented form is the bare base64 of "id:token" (the Node SDK's "Bearer " prefix is not).
  return Buffer.from(`${settings.helpdesk.id}:${token}`).toString('base64');
}

async function readFailure(response: FeishuHttpResponse, context: FeishuCallContext, deadline: Deadline): Promise<FeishuFailure> {
  let body = '';
  try {
    body = await readBounded(response, MAX_ERROR_BODY_BYTES);
  } catch (error) {
    if (deadline.expired) throw timeout(context.subject, error);
    // An unreadable error body still has a status worth translating.
  }
  return translateFeishuFailure({ status: response.status, headers: response.headers, body }, context);
}

async function readBounded(response: FeishuHttpResponse, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early closes the body (the iterator's return), releasing the connection.
  for await (const chunk of response.body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}


async function* noBytes(): AsyncGenerator<Uint8Array> {
  // A 200 without a body: the sniffing then refuses it as empty.
}

function timeout(subject: string, cause: unknown): MirrorError {
  return new MirrorError('UPSTREAM_TIMEOUT', `${subject}: Feishu did not answer in the time the invocation had left`, { cause });
}

function mediaType(header: string | null): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

function contentLength(header: string | null): number | undefined {
  return header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
}
