import type { BatchAnswer } from '../batch/BatchAnswer';
import { runBatch } from '../batch/runBatch';
import { toErrorBody, toMirrorError, type ErrorBody } from '../errors/errorBody';
import { MirrorError } from '../errors/MirrorError';
import type { Invocation } from '../mirror/Invocation';
import { logFailure } from '../mirror/mirrorLogged';
import { parseManifest } from '../request/parseManifest';
import { readManifestRecord } from '../request/readManifestRecord';
import type { S3Notice } from '../request/readS3Notification';
import { logger } from '../runtime/logger';
import { readObjectText, writeJsonObject } from '../storage/manifestObjects';

/** What became of one manifest. */
export interface ManifestOutcome {
  manifest: string;
  results?: string;
  succeeded: number;
  failed: number;
  /** Why nothing was read or written: a key that is no manifest of this function, or a record refused. */
  skipped?: string;
  /** Why the manifest could not be read as a whole, as its results file says. */
  error?: ErrorBody['error'];
}

/** What became of the manifests an S3 notification names. */
export interface ManifestsAnswer {
  manifests: ManifestOutcome[];
}

/** The results file: the batch answer, and `error` when the manifest could not be read as a whole. */
export type ManifestResults = BatchAnswer & Partial<ErrorBody>;

/**
 * S3 notifications of manifests created under `requests/{kind}/`, whatever brought them (S3
 * itself, SQS, SNS through SQS, EventBridge), read as notices (S3Notice): each is read (at most
 * MANIFEST_MAX_BYTES), run as a batch, and answered in `results/{kind}/{name without its
 * extension}.json`. A manifest that cannot be read as a whole gets a results file saying why,
 * and its outcome that `error`. A notice that is no manifest of this function, or that names
 * another bucket or a key that could be folded into another, is refused with nothing read or
 * written. Each notice succeeds or fails alone: when S3 failed for some, the others are done
 * first, then this throws, so that Lambda's asynchronous retries, or the queue, try the
 * notification again.
 *
 * @example
 * await handleS3Manifests(detected.notices, invocation);
 * // { manifests: [{ manifest: 'requests/im/a.jsonl', results: 'results/im/a.json', … }] }
 */
export async function handleS3Manifests(
  notices: readonly S3Notice[],
  invocation: Invocation,
): Promise<ManifestsAnswer> {
  const manifests: ManifestOutcome[] = [];
  let retry: MirrorError | undefined;
  for (const notice of notices) {
    try {
      manifests.push(await runManifest(notice, invocation));
    } catch (thrown) {
      const error = toMirrorError(thrown);
      // The first is logged by the edge once it is thrown; the others here.
      if (retry) logFailure(invocation, error, 0);
      else retry = error;
    }
  }
  if (retry) throw retry;
  return { manifests };
}

async function runManifest(notice: S3Notice, invocation: Invocation): Promise<ManifestOutcome> {
  const { endpoint, settings } = invocation;
  const read = readManifestRecord(notice, endpoint, settings.bucket);
  if (!read.run) {
    logger.warn('notification skipped', { manifest: read.manifest, reason: read.reason });
    return { manifest: read.manifest, succeeded: 0, failed: 0, skipped: read.reason };
  }

  const { bucket, manifest, name, results } = read;
  // Every line logged about the manifest's work names it: its results file is read later, if at all.
  const manifestWork: Invocation = { ...invocation, origin: { ...invocation.origin, manifest } };
  const client = invocation.clients.s3(settings.s3ForcePathStyle);
  const { signal } = invocation.deadline;
  let answer: ManifestResults;
  try {
    const text = await readObjectText(client, bucket, manifest, settings.manifestMaxBytes, signal);
    answer = await runBatch(parseManifest(text, name, endpoint, settings), manifestWork);
  } catch (thrown) {
    // A manifest wrong as a whole is answered in its results; S3 failing is retried by Lambda.
    if (!(thrown instanceof MirrorError) || thrown.retryable) throw thrown;
    logFailure(manifestWork, thrown, 0);
    answer = { ...toErrorBody(thrown), results: [], succeeded: 0, failed: 0 };
  }
  await writeJsonObject(client, bucket, results, answer, signal);
  const { succeeded, failed, error } = answer;
  logger.info('manifest done', { manifest, results, succeeded, failed });
  return { manifest, results, succeeded, failed, ...(error === undefined ? {} : { error }) };
}
