import type { S3Event, S3EventRecord } from 'aws-lambda';
import type { BatchAnswer } from '../batch/BatchAnswer';
import { runBatch } from '../batch/runBatch';
import { toErrorBody, type ErrorBody } from '../errors/errorBody';
import { MirrorError } from '../errors/MirrorError';
import type { Invocation } from '../handler/Invocation';
import { logFailure } from '../handler/mirrorLogged';
import { parseManifest } from '../request/parseManifest';
import { logger } from '../runtime/logger';
import { readObjectText, writeJsonObject } from '../storage/manifestObjects';

/** Where manifests are dropped, and where their results appear: `requests/{kind}/…`, `results/{kind}/…`. */
export const MANIFEST_PREFIX = 'requests/';
export const RESULTS_PREFIX = 'results/';

/** What became of one manifest. */
export interface ManifestOutcome {
  manifest: string;
  results?: string;
  succeeded: number;
  failed: number;
  /** Why nothing was written, for keys that are no manifest of this function. */
  skipped?: string;
}

/** The results file: the batch answer, and `error` when the manifest could not be read as a whole. */
export type ManifestResults = BatchAnswer & Partial<ErrorBody>;

/**
 * S3 notifications of manifests created under `requests/{kind}/`: each is read (at most
 * MANIFEST_MAX_BYTES), run as a batch, and answered in `results/{kind}/{name without its
 * extension}.json`. A manifest that cannot be read as a whole gets a results file saying why.
 * S3 failures are thrown, so Lambda's asynchronous retries try the manifest again.
 *
 * @example
 * await handleS3Manifests(event, invocation); // [{ manifest: 'requests/im/a.jsonl', results: 'results/im/a.json', … }]
 */
export async function handleS3Manifests(event: S3Event, invocation: Invocation): Promise<{ manifests: ManifestOutcome[] }> {
  const manifests: ManifestOutcome[] = [];
  for (const record of event.Records) manifests.push(await runManifest(record, invocation));
  return { manifests };
}

async function runManifest(record: S3EventRecord, invocation: Invocation): Promise<ManifestOutcome> {
  const { endpoint, settings } = invocation;
  const bucket = record.s3.bucket.name;
  // Keys in notifications are URL-encoded, with '+' for a space.
  const manifest = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
  const folder = `${MANIFEST_PREFIX}${endpoint.kind}/`;
  const name = manifest.startsWith(folder) ? manifest.slice(folder.length) : '';
  if (!record.eventName.startsWith('ObjectCreated:') || name === '' || name.endsWith('/')) {
    const skipped = `not a manifest of the ${endpoint.functionName} function (${folder}<name>, created)`;
    logger.warn('notification skipped', { manifest, eventName: record.eventName, reason: skipped });
    return { manifest, succeeded: 0, failed: 0, skipped };
  }

  const client = invocation.clients.s3(settings.s3ForcePathStyle);
  const { signal } = invocation.deadline;
  const results = `${RESULTS_PREFIX}${endpoint.kind}/${name.replace(/\.[^./]*$/, '')}.json`;
  let answer: ManifestResults;
  try {
    const text = await readObjectText(client, bucket, manifest, settings.manifestMaxBytes, signal);
    answer = await runBatch(parseManifest(text, name, endpoint, settings), invocation);
  } catch (thrown) {
    // A manifest wrong as a whole is answered in its results; S3 failing is retried by Lambda.
    if (!(thrown instanceof MirrorError) || thrown.retryable) throw thrown;
    logFailure(endpoint, thrown, invocation.trigger, 0);
    answer = { ...toErrorBody(thrown), results: [], succeeded: 0, failed: 0 };
  }
  await writeJsonObject(client, bucket, results, answer, signal);
  logger.info('manifest done', { manifest, results, succeeded: answer.succeeded, failed: answer.failed });
  return { manifest, results, succeeded: answer.succeeded, failed: answer.failed };
}
