import type { MetricTally } from '../metrics/MetricTally';
import { parse as parseDisposition } from 'content-disposition';
import { parse as parseContentType } from 'content-type';
import { subjectOf, type EndpointDescription } from '../endpoints';
import type { Deadline } from '../runtime/Deadline';
import type { CallLimiter } from './RateLimiters';
import type { Settings } from '../settings/Settings';
import type { HeaderReader } from '../clients/feishuHttp';
import { callFeishu } from './callFeishu';
import { feishuImageUrl } from './feishuUrl';
import type { FeishuClients } from './tenantToken';
import { feishuLogId } from './translateFeishuFailure';

/** A Feishu answer whose body is (supposedly) the image, not yet read. */
export interface FeishuImageResponse {
  body: AsyncIterable<Uint8Array>;
  /** Feishu's media type, lower-cased, without parameters; undefined when absent or malformed. */
  contentType?: string;
  contentLength?: number;
  logId?: string;
  headers: HeaderReader;
  /** The file's name from Content-Disposition, as Feishu sent it (not yet made safe). */
  fileName?: string;
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
  /** The invocation's metrics, which count the calls. */
  metrics?: MetricTally;
}

/**
 * Calls Feishu for one image and returns the open response once Feishu has answered 200, with
 * the retries, token renewal and error translation of `callFeishu`.
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
  const { endpoint, source, userAccessToken, limiter, metrics } = request;
  const { response, attempts } = await callFeishu(
    {
      endpoint,
      url: feishuImageUrl(settings.feishuBaseUrl, endpoint, source),
      subject: subjectOf(endpoint, source),
      userAccessToken,
      limiter,
      metrics,
    },
    settings,
    deadline,
    clients,
  );
  return {
    body: response.body ?? noBytes(),
    contentType: mediaType(response.headers.get('content-type')),
    contentLength: contentLength(response.headers.get('content-length')),
    logId: feishuLogId(response.headers),
    headers: response.headers,
    ...fileNameOf(response.headers.get('content-disposition')),
    attempts,
  };
}

async function* noBytes(): AsyncGenerator<Uint8Array> {
  // A 200 without a body: the sniffing then refuses it as empty.
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

/** The `filename` of a Content-Disposition (its `filename*` when both are given); none when malformed. */
function fileNameOf(header: string | null): { fileName?: string } {
  if (header === null) return {};
  try {
    const name = parseDisposition(header).parameters.filename;
    return typeof name === 'string' && name !== '' ? { fileName: name } : {};
  } catch {
    return {};
  }
}

function contentLength(header: string | null): number | undefined {
  return header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
}
