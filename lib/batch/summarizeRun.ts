import type { EndpointDescription } from '../endpoints';
import { type ErrorBody, failureBody } from '../errors/errorBody';
import { invalidRequest } from '../errors/MirrorError';
import type { Invocation } from '../mirror/Invocation';
import { logger } from '../runtime/logger';
import { readJson, writeText } from '../storage/placeObjects';
import type { BatchAnswer } from './BatchAnswer';
import { type CrawlCursor, type LastRun, placeKeys } from './crawlPlace';

/** What a Distributed Map with a ResultWriter answers: where its manifest of result files is. */
export interface MapRunOutput {
  ResultWriterDetails: { Bucket: string; Key: string };
}

/** The summary of a run over a place (`summary.json`). */
export interface RunSummary {
  kind: string;
  source: Record<string, string>;
  run: string;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  /** Documents found once each, of which `mirrored` now, `unchanged` since the last finished run, `failed`. */
  documents: { found: number; mirrored: number; unchanged: number; failed: number };
  /** Images and whiteboards stored (or found stored) by the documents mirrored. */
  images: { stored: number; failed: number };
  /** The whiteboards of unchanged documents, refreshed on their own. */
  whiteboards: { refreshed: number; failed: number };
  listing: { pages: number; items: number; invocations: number; failures: CrawlCursor['failures'] };
  /** Each document that failed, with its error (a whole document's, or its first failed image's). */
  failures: ({ documentId: string } & ErrorBody)[];
}

/** One child execution in a ResultWriter file. */
interface MapRunResult {
  Input: string;
  Output?: string;
  Status: string;
  Error?: string;
  Cause?: string;
}

/**
 * Writes the summary of a run once its documents were mirrored: reads the Distributed Maps'
 * results (the ResultWriter's manifest and files: `mirrored`, one child execution a document,
 * and `whiteboardsRefreshed`, batches of whiteboards of unchanged documents), counts
 * documents mirrored, unchanged and failed and the images stored, writes `summary.json`, and
 * records in `last-run.json` the edit time of every document now mirrored or unchanged, so that
 * the next run mirrors only what changed since, and the whiteboards each holds, refreshed on their
 * own while it is unchanged; a document that failed keeps the time it had, and is tried again next run.
 *
 * @example
 * const summary = await summarizeRun(invocation, { spaceId: 'sp1' }, 'r1', { mirrored: mapOutput });
 * // { documents: { found: 667, mirrored: 2, unchanged: 665, failed: 0 }, images: { stored: 2, … }, … }
 */
export async function summarizeRun(
  invocation: Invocation,
  source: Readonly<Record<string, string>>,
  run: string,
  state: unknown,
): Promise<RunSummary> {
  const maps = (state ?? {}) as { mirrored?: unknown; whiteboardsRefreshed?: unknown };
  const { settings, deadline, clients } = invocation;
  const endpoint = invocation.endpoint as EndpointDescription<string>;
  const s3 = clients.s3(settings.s3ForcePathStyle);
  const signal = deadline.cleanupSignal();
  const keys = placeKeys(endpoint, source, run);
  const cursor = await readJson<CrawlCursor>(s3, settings.bucket, keys.cursor, signal);
  const found = await readJson<Record<string, number | null>>(s3, settings.bucket, keys.found, signal);
  if (cursor?.collected === undefined || found === undefined) {
    throw invalidRequest(`run ${run} of ${endpoint.noun} has not finished listing; nothing to summarize`);
  }
  const results = await readMapResults(invocation, maps.mirrored, signal);
  const summary: RunSummary = {
    kind: endpoint.kind,
    source: { ...source },
    run,
    startedAt: cursor.startedAt,
    finishedAt: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - Date.parse(cursor.startedAt)) / 1000),
    documents: { found: cursor.collected.found, mirrored: 0, unchanged: cursor.collected.unchanged, failed: 0 },
    images: { stored: 0, failed: 0 },
    whiteboards: { refreshed: 0, failed: 0 },
    listing: { pages: cursor.pages, items: cursor.items, invocations: cursor.invocations, failures: cursor.failures },
    failures: [],
  };
  const failed = new Set<string>();
  const whiteboards: Record<string, string[]> = {};
  for (const result of results) {
    const documentId = documentIdOf(result);
    const boards = whiteboardsOf(result);
    if (boards.length > 0) whiteboards[documentId] = boards;
    const error = errorOf(result, summary);
    if (error === undefined) summary.documents.mirrored += 1;
    else {
      summary.documents.failed += 1;
      summary.failures.push({ documentId, ...error });
      failed.add(documentId);
    }
  }
  for (const result of await readMapResults(invocation, maps.whiteboardsRefreshed, signal)) {
    const batch = result.Output === undefined ? undefined : (JSON.parse(result.Output) as BatchAnswer);
    const items = (JSON.parse(result.Input) as { Items?: unknown[] }).Items?.length ?? 0;
    summary.whiteboards.refreshed += batch?.succeeded ?? 0;
    summary.whiteboards.failed += batch?.failed ?? items;
  }
  const last = await readJson<LastRun>(s3, settings.bucket, keys.lastRun, signal);
  const documents = Object.fromEntries(
    Object.entries(found).flatMap(([documentId, editTime]): [string, number | null][] => {
      if (!failed.has(documentId)) return [[documentId, editTime]];
      const before = last?.documents[documentId];
      return before === undefined ? [] : [[documentId, before]];
    }),
  );
  await writeText(s3, settings.bucket, keys.summary, JSON.stringify(summary, null, 2), signal);
  // A document not mirrored now keeps the whiteboards it had.
  const mirroredNow = new Set(results.map(documentIdOf));
  for (const documentId of Object.keys(documents)) {
    const before = last?.whiteboards?.[documentId];
    if (before !== undefined && !mirroredNow.has(documentId)) {
      whiteboards[documentId] = before;
    }
  }
  const lastRun: LastRun = { run, finishedAt: summary.finishedAt, documents, whiteboards };
  await writeText(s3, settings.bucket, keys.lastRun, JSON.stringify(lastRun), signal);
  logger.info('place run summarized', { ...summary, failures: summary.failures.length, listing: undefined });
  return summary;
}

/** Every child execution's result, from the ResultWriter's manifest (none when nothing was mirrored). */
async function readMapResults(
  invocation: Invocation,
  mapOutput: unknown,
  signal: AbortSignal,
): Promise<MapRunResult[]> {
  const details = (mapOutput as Partial<MapRunOutput> | undefined)?.ResultWriterDetails;
  if (details === undefined) return [];
  const s3 = invocation.clients.s3(invocation.settings.s3ForcePathStyle);
  const manifest = await readJson<{ ResultFiles?: Record<string, { Key: string }[]> }>(
    s3,
    details.Bucket,
    details.Key,
    signal,
  );
  const files = Object.values(manifest?.ResultFiles ?? {}).flat();
  const results: MapRunResult[] = [];
  for (const file of files) {
    results.push(...((await readJson<MapRunResult[]>(s3, details.Bucket, file.Key, signal)) ?? []));
  }
  return results;
}

/**
 * The whiteboards a document's answer lists: all of them in a full answer; a compact one lists
 * only its failures, so its whiteboards are known only when they failed.
 */
function whiteboardsOf(result: MapRunResult): string[] {
  if (result.Output === undefined) return [];
  const document = (JSON.parse(result.Output) as BatchAnswer).results[0];
  if (document === undefined || 'error' in document || !('succeeded' in document)) return [];
  const images = 'compact' in document ? document.failedImages : document.images;
  return images.filter((image) => image.blockType === 'whiteboard').map((image) => image.token);
}

function documentIdOf(result: MapRunResult): string {
  const input = JSON.parse(result.Input) as { Items?: { documentId?: string }[] };
  return input.Items?.[0]?.documentId ?? '';
}

/** The error of a document that failed, else undefined; the images it stored or failed are counted. */
function errorOf(result: MapRunResult, summary: RunSummary): ErrorBody | undefined {
  if (result.Status !== 'SUCCEEDED' || result.Output === undefined) {
    return failureBody(
      'UPSTREAM_ERROR',
      `${result.Error ?? 'States.Failed'}: ${result.Cause ?? 'the document failed'}`,
    );
  }
  const answer = JSON.parse(result.Output) as BatchAnswer;
  const document = answer.results[0];
  if (document === undefined) return failureBody('UPSTREAM_ERROR', 'the document was answered without a result');
  if ('error' in document) return document;
  if (!('succeeded' in document)) return undefined;
  summary.images.stored += document.succeeded;
  summary.images.failed += document.failed;
  if (document.failed === 0) return undefined;
  const images = 'compact' in document ? document.failedImages : document.images;
  const first = images.find((image) => 'error' in image);
  return first !== undefined && 'error' in first
    ? { error: first.error }
    : failureBody('UPSTREAM_ERROR', `${document.failed} images failed`);
}
