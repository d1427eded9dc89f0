import type { S3Client } from '@aws-sdk/client-s3';
import type { Clients } from '../clients/Clients';
import { subjectOf, type EndpointDescription } from '../endpoints';
import { MirrorError } from '../errors/MirrorError';
import { downloadImage, type FeishuImageResponse } from '../feishu/downloadImage';
import { translateFeishuFailure, type FeishuCallContext } from '../feishu/translateFeishuFailure';
import { chooseContentType } from '../image/chooseContentType';
import { ImageBodyError } from '../image/ImageBodyError';
import { MeteredBody } from '../image/MeteredBody';
import { safeFileName } from '../image/safeFileName';
import { SNIFF_BYTES, sniffImageType } from '../image/sniffImageType';
import type { MirrorRequest } from './MirrorRequest';
import type { RateLimiters } from '../feishu/RateLimiters';
import type { MetricTally } from '../metrics/MetricTally';
import type { Deadline } from '../runtime/Deadline';
import type { Settings } from '../settings/Settings';
import { findStoredImage } from '../storage/findStoredImage';
import { imageKey } from '../storage/imageKey';
import { presignImage } from '../storage/presignImage';
import { storeImage } from '../storage/storeImage';
import type { StoredImage } from '../storage/StoredImage';
import { bodyFailure } from './bodyFailure';
import type { MirrorAnswer } from './MirrorAnswer';
import type { ImageEvents } from '../imageEvents/ImageEvents';

/** What one mirroring did, for the answer and the log. */
export interface MirrorOutcome {
  answer: MirrorAnswer;
  /** Calls made to Feishu's download endpoint (0 when answered from the cache). */
  feishuAttempts: number;
  logId?: string;
}

/** What the data path works with: the function, its settings, its time, its clients (and a batch's rate limit). */
export interface MirrorContext {
  endpoint: EndpointDescription;
  settings: Settings;
  deadline: Deadline;
  clients: Clients;
  /** Keep the invocation's Feishu calls within each endpoint's rate limit (batches share them). */
  limiters?: RateLimiters;
  /** The invocation's metrics: images mirrored, cache hits, bytes stored, Feishu calls. */
  metrics?: MetricTally;
  /** Told of every image newly stored (`Image Mirrored` events). */
  imageEvents?: ImageEvents;
}

/**
 * The data path, top to bottom: request → (stored copy) → Feishu → S3 → presigned answer.
 * Knows nothing of events; every failure is a MirrorError. Counts, in `context.metrics`, the
 * image as mirrored (and its bytes) or as a cache hit, and tells `context.imageEvents` of an
 * image newly stored.
 *
 * @example
 * const { answer } = await mirrorImage({ endpoint: im, settings, deadline, clients }, request);
 */
export async function mirrorImage(context: MirrorContext, request: MirrorRequest): Promise<MirrorOutcome> {
  const outcome = await mirrorOrServe(context, request);
  const { answer } = outcome;
  const kind = { kind: context.endpoint.kind };
  if (answer.cached) context.metrics?.add('CacheHits', 1, kind);
  else {
    context.metrics?.add('ImagesMirrored', 1, kind);
    context.metrics?.add('BytesStored', answer.size, kind);
    context.imageEvents?.stored(answer, context.deadline.signal);
  }
  return outcome;
}

async function mirrorOrServe(context: MirrorContext, request: MirrorRequest): Promise<MirrorOutcome> {
  const { endpoint, settings, deadline } = context;
  const client = context.clients.s3(settings.s3ForcePathStyle);
  const key = imageKey(settings.keyPrefix, endpoint, request.source, request.userAccessToken);
  const shareable = mayAnswerFromStore(endpoint, request, settings);

  if (shareable) {
    const inProgress = storesInProgress.get(key);
    if (inProgress) return joinStore(context, request, inProgress);
    const stored = await findStoredImage(client, settings.bucket, key, deadline.signal);
    if (stored && isFresh(stored, endpoint, settings)) {
      return { answer: await presignAnswer(context, request, stored, true), feishuAttempts: 0, logId: stored.logId };
    }
    // Another request may have started the same download while this one looked in S3. No
    // await between this look and registering our own download, so two never both start.
    const startedMeanwhile = storesInProgress.get(key);
    if (startedMeanwhile) return joinStore(context, request, startedMeanwhile);
  }

  const storing = downloadAndStore(client, context, request, key);
  if (shareable) {
    storesInProgress.set(key, storing);
    void storing.then(
      () => storesInProgress.delete(key),
      () => storesInProgress.delete(key),
    );
  }
  const { stored, attempts, logId } = await storing;
  return { answer: await presignAnswer(context, request, stored, false), feishuAttempts: attempts, logId };
}

interface StoreOutcome {
  stored: StoredImage;
  attempts: number;
  logId?: string;
}

/**
 * The downloads of this container still in progress, by key, for requests that may be
 * answered from the store: concurrent requests for one image then make one Feishu call and
 * one store, and share its outcome (its failure too).
 */
const storesInProgress = new Map<string, Promise<StoreOutcome>>();

async function downloadAndStore(
  client: S3Client,
  context: MirrorContext,
  request: MirrorRequest,
  key: string,
): Promise<StoreOutcome> {
  const { endpoint, settings, deadline, clients, limiters, metrics } = context;
  const image = await downloadImage(
    {
      endpoint,
      source: request.source,
      userAccessToken: request.userAccessToken,
      limiter: limiters?.of(endpoint),
      metrics,
    },
    settings,
    deadline,
    clients,
  );
  const stored = await keepImage(client, image, { endpoint, request, settings, deadline, key });
  return { stored, attempts: image.attempts, logId: image.logId };
}

/** The answer from a download of the same image already in progress here: served from what it stored. */
async function joinStore(
  context: MirrorContext,
  request: MirrorRequest,
  inProgress: Promise<StoreOutcome>,
): Promise<MirrorOutcome> {
  const { stored } = await inProgress;
  return { answer: await presignAnswer(context, request, stored, true), feishuAttempts: 0, logId: stored.logId };
}

/**
 * A stored copy may answer unless the caller asked for a refresh, or used their own token
 * (the cache must not bypass that user's permissions: Feishu is asked every time, and the
 * copy is kept under that token's own key), or the endpoint's images change and no maximum
 * age is set.
 */
function mayAnswerFromStore(endpoint: EndpointDescription, request: MirrorRequest, settings: Settings): boolean {
  if (request.refresh || request.userAccessToken !== undefined) return false;
  return endpoint.immutable || settings.whiteboardMaxAgeSeconds > 0;
}

function isFresh(stored: StoredImage, endpoint: EndpointDescription, settings: Settings): boolean {
  if (endpoint.immutable) return true;
  const age = Date.now() - Date.parse(stored.fetchedAt);
  return Number.isFinite(age) && age >= 0 && age < settings.whiteboardMaxAgeSeconds * 1000;
}

interface KeepContext {
  endpoint: EndpointDescription;
  request: MirrorRequest;
  settings: Settings;
  deadline: Deadline;
  key: string;
}

/** Checks that the body is an image within the size limit, then streams it into S3. */
async function keepImage(client: S3Client, image: FeishuImageResponse, context: KeepContext): Promise<StoredImage> {
  const { endpoint, request, settings, deadline, key } = context;
  const subject = subjectOf(endpoint, request.source);
  const body = new MeteredBody(image.body, {
    maxBytes: settings.maxImageBytes,
    expectedLength: image.contentLength,
    signal: deadline.signal,
  });
  if (image.contentLength !== undefined && image.contentLength > settings.maxImageBytes) {
    await body.cancel();
    throw new MirrorError(
      'PAYLOAD_TOO_LARGE',
      `${subject}: the image is ${image.contentLength} bytes, over MAX_IMAGE_BYTES (${settings.maxImageBytes})`,
      { logId: image.logId },
    );
  }
  try {
    const head = await body.head(SNIFF_BYTES);
    const sniffed = sniffImageType(head);
    const contentType = chooseContentType(image.contentType, sniffed, head);
    if (contentType === undefined) {
      await body.cancel();
      throw notAnImage(image, head, sniffed.kind, {
        endpoint,
        subject,
        withUserToken: request.userAccessToken !== undefined,
      });
    }
    return await storeImage(
      client,
      body,
      {
        bucket: settings.bucket,
        key,
        contentType,
        fetchedAt: new Date().toISOString(),
        logId: image.logId,
        fileName: image.fileName === undefined ? undefined : safeFileName(image.fileName, subject),
      },
      deadline,
    );
  } catch (error) {
    throw error instanceof ImageBodyError ? bodyFailure(error, subject, image.logId) : error;
  }
}

const NOT_AN_IMAGE: Readonly<Record<string, string>> = {
  empty: 'an empty body',
  json: 'JSON',
  html: 'an HTML page',
  text: 'text',
};

/** A 200 whose body is not an image: Feishu's own error in JSON when it is one, else UPSTREAM_ERROR. */
function notAnImage(image: FeishuImageResponse, head: Buffer, kind: string, context: FeishuCallContext): MirrorError {
  if (kind === 'json') {
    const { error } = translateFeishuFailure(
      { status: 200, headers: image.headers, body: head.toString('utf8') },
      context,
    );
    if (error.feishuCode !== undefined && error.feishuCode !== 0) return error;
  }
  const what = NOT_AN_IMAGE[kind] ?? `bytes that are no known image (Content-Type ${image.contentType ?? 'missing'})`;
  return new MirrorError(
    'UPSTREAM_ERROR',
    `${context.subject}: Feishu answered 200 with ${what} instead of an image; nothing was stored`,
    {
      logId: image.logId,
      retryable: kind !== 'unknown',
    },
  );
}

/**
 * The answer for a stored image: a presigned URL with the request's lifetime and disposition.
 * A batch uses it to answer items that name an image already fetched for another item.
 */
export async function presignAnswer(
  context: Pick<MirrorContext, 'endpoint' | 'settings' | 'clients'>,
  request: MirrorRequest,
  stored: StoredImage,
  cached: boolean,
): Promise<MirrorAnswer> {
  const { endpoint, settings } = context;
  const client = context.clients.s3(settings.s3ForcePathStyle);
  const expiresAt = new Date(Date.now() + request.expiresInSeconds * 1000).toISOString();
  const url = await presignImage(client, {
    bucket: stored.bucket,
    key: stored.key,
    contentType: stored.contentType,
    filename: stored.fileName ?? request.source[endpoint.ids[endpoint.ids.length - 1]!]!,
    download: request.download,
    expiresInSeconds: request.expiresInSeconds,
  });
  return {
    kind: endpoint.kind,
    source: { ...request.source },
    bucket: stored.bucket,
    key: stored.key,
    url,
    expiresAt,
    contentType: stored.contentType,
    size: stored.size,
    sha256: stored.sha256,
    cached,
    fetchedAt: stored.fetchedAt,
    ...(stored.fileName === undefined ? {} : { fileName: stored.fileName }),
  };
}
