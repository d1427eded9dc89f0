import type { EndpointDescription } from '../endpoints';
import { type ErrorBody, toErrorBody } from '../errors/errorBody';
import { MirrorError } from '../errors/MirrorError';
import { listFolderPage } from '../feishu/listFolderPage';
import type { Invocation } from '../mirror/Invocation';
import { RESULTS_PREFIX } from '../request/readManifestRecord';
import { logger } from '../runtime/logger';
import { readJson, readText, writeText } from '../storage/placeObjects';

/** One run over a place: its ids (`spaceId`, `nodeToken`; `folderToken`), its name, whether to mirror everything. */
export interface CrawlRequest {
  source: Readonly<Record<string, string>>;
  run: string;
  /** Mirror every document found, not only those edited since the last finished run. */
  refresh: boolean;
}

/** A document found, as a line of a part (`documents/part-00001.jsonl`). */
export interface FoundDocument {
  documentId: string;
  title: string;
  /** When it was last edited, in seconds; absent when Feishu did not say (a Drive shortcut). */
  editTime?: number;
}

/**
 * Where the listing stands, kept in S3 between invocations (`cursor.json`): the parents still
 * to list (the next one last), the page of the first reached, the children found on its pages
 * so far (listed once its pages are), and what was found.
 */
export interface CrawlCursor {
  /** `[token, depth]`; the token `''` is the place's top level. */
  parents: [string, number][];
  pageToken?: string;
  /** The page tokens the parent being listed gave, to stop a listing that comes back on itself. */
  pageTokens: string[];
  /** Children of the parent being listed that have children of their own, to list after it. */
  pending: [string, number][];
  parts: number;
  pages: number;
  items: number;
  documentLines: number;
  invocations: number;
  startedAt: string;
  /** Parents whose listing failed (one gone since its parent was listed, one too deep): the rest goes on. */
  failures: ({ parent: string } & ErrorBody)[];
  /** Set once the listing is over and the documents to mirror were chosen. */
  collected?: { found: number; toMirror: number; unchanged: number; whiteboards: number };
}

/** What one listing invocation answers: small, whatever the place's size, so that it fits a state. */
export interface CrawlProgress {
  kind: string;
  source: Record<string, string>;
  run: string;
  /** True once every parent was listed and the documents to mirror are in `manifest`. */
  done: boolean;
  /** Parents still to list: 0 once the listing is over (the documents may still be to choose). */
  parentsLeft: number;
  pages: number;
  items: number;
  invocations: number;
  listingFailures: number;
  /** The JSON Lines of the documents to mirror (one `{"documentId"}` a line), once done. */
  manifest: string;
  found?: number;
  toMirror?: number;
  unchanged?: number;
  /** The whiteboards of documents left unchanged, to refresh (one `{"whiteboardId", "refresh"}` a line). */
  whiteboardManifest: string;
  whiteboards?: number;
  /** Where the run's summary will be. */
  summary: string;
}

/** The last finished run of a place (`last-run.json`): the edit time each document had when it was mirrored. */
export interface LastRun {
  run: string;
  finishedAt: string;
  documents: Record<string, number | null>;
  /** The whiteboards of each document mirrored, by document: they change without their document's edit time. */
  whiteboards?: Record<string, string[]>;
}

/** Time kept back for writing the part and the cursor once the listing stops. */
const FLUSH_MS = 3000;
/** The longest a page is expected to take, its rate-limit wait included; no page is started with less left. */
const PAGE_MS = 5000;
/** The time to read every part and write the manifest of a large place (400,000 nodes, tens of MB). */
const COLLECT_MS = 20_000;
/** No parent holds more pages than this (2,000 children at 50 a page, and empty pages): more is Feishu looping. */
const MAX_PAGES_PER_PARENT = 1000;

/**
 * Where a run over a place keeps its work, under `results/{kind}/{place}/`, the place being its
 * ids joined by `/` (`spaceId`, then `nodeToken` when given). The last finished run's edit
 * times sit beside the runs (`last-run.json`), so that the next run mirrors only what changed.
 *
 * @example
 * placeKeys(wikiSpace, { spaceId: 'sp1' }, '20261207T120000Z').summary;
 * // 'results/wiki-space/sp1/20261207T120000Z/summary.json'
 */
export function placeKeys(
  endpoint: EndpointDescription<string>,
  source: Readonly<Record<string, string>>,
  run: string,
) {
  const place = [...endpoint.ids, ...(endpoint.placeIds ?? [])]
    .flatMap((id) => (source[id] === undefined ? [] : [source[id]]))
    .join('/');
  const placePrefix = `${RESULTS_PREFIX}${endpoint.kind}/${place}/`;
  const runPrefix = `${placePrefix}${run}/`;
  return {
    run: runPrefix,
    cursor: `${runPrefix}cursor.json`,
    parts: `${runPrefix}documents/`,
    part: (n: number) => `${runPrefix}documents/part-${String(n).padStart(5, '0')}.jsonl`,
    found: `${runPrefix}found.json`,
    manifest: `${runPrefix}mirror.jsonl`,
    whiteboards: `${runPrefix}whiteboards.jsonl`,
    mirrored: `${runPrefix}mirrored/`,
    summary: `${runPrefix}summary.json`,
    lastRun: `${placePrefix}last-run.json`,
  };
}

/**
 * One invocation's share of a run over a place: lists parents page by page from where the last
 * invocation stopped (its cursor in S3) until the time runs short, writes the documents found
 * as a JSON Lines part and the cursor, and answers where it stands. Once every parent is
 * listed, it reads the parts, keeps each document once, and writes the manifest of those to
 * mirror: every one with `refresh`, else those edited since the last finished run. Sending the
 * same run again resumes it: a failed invocation loses only the pages since its last part.
 *
 * A parent that cannot be listed fails the run only when it is the place itself, or when
 * Feishu may answer it later (the error is retryable: the state machine sends the invocation
 * again); any other (a node deleted since its parent was listed) is kept in the cursor's
 * failures and the listing goes on. A parent whose pages would never end (a page token given
 * twice) or that lies deeper than a place nests counts as failed the same way: no answer of
 * Feishu's makes the listing loop.
 *
 * @example
 * const progress = await crawlPlace(invocation, { source: { spaceId: 'sp1' }, run: 'r1', refresh: false });
 * // { done: false, pages: 412, items: 9800, … }, then, sent again until done:
 * // { done: true, manifest: '…/mirror.jsonl', toMirror: 3100, … }
 */
export async function crawlPlace(invocation: Invocation, request: CrawlRequest): Promise<CrawlProgress> {
  const { settings, deadline, clients, limiters, metrics } = invocation;
  const endpoint = invocation.endpoint as EndpointDescription<string>;
  const folder = endpoint.folder;
  if (folder === undefined) throw new Error(`${endpoint.kind} is not a place endpoint`);
  const s3 = clients.s3(settings.s3ForcePathStyle);
  const { bucket } = settings;
  const keys = placeKeys(endpoint, request.source, request.run);
  const signal = deadline.cleanupSignal();
  const cursor =
    (await readJson<CrawlCursor>(s3, bucket, keys.cursor, signal)) ?? newCursor(folder.start(request.source));
  cursor.invocations += 1;
  const pagesBefore = cursor.pages;
  const lines: string[] = [];
  const flush = async (): Promise<void> => {
    if (lines.length > 0) {
      cursor.parts += 1;
      await writeText(s3, bucket, keys.part(cursor.parts), `${lines.join('\n')}\n`, signal);
      lines.length = 0;
    }
    await writeText(s3, bucket, keys.cursor, JSON.stringify(cursor), signal);
  };
  const notListed = (parent: string, error: MirrorError): void => {
    cursor.failures.push({ parent, ...toErrorBody(error) });
    logger.warn('place parent not listed', { kind: endpoint.kind, source: request.source, parent, code: error.code });
  };
  const tooDeep = (token: string): void =>
    notListed(token, new MirrorError('UPSTREAM_ERROR', `${token} lies deeper than ${folder.maxDepth} levels`));
  // A parent given up keeps the children its pages gave so far: they are listed as any other.
  const skipParent = (parent: string, error: MirrorError): void => {
    notListed(parent, error);
    finishParent(cursor, folder.maxDepth, tooDeep);
  };

  while (cursor.collected === undefined && cursor.parents.length > 0 && deadline.allows(PAGE_MS, FLUSH_MS)) {
    const [parent, depth] = cursor.parents.at(-1)!;
    let page: Awaited<ReturnType<typeof listFolderPage>>;
    try {
      page = await listFolderPage(
        {
          endpoint,
          source: request.source,
          parent: parent === '' ? undefined : parent,
          pageToken: cursor.pageToken,
          limiter: limiters.of(endpoint),
          metrics,
        },
        settings,
        deadline,
        clients,
      );
    } catch (error) {
      if (!(error instanceof MirrorError) || depth === 0 || error.retryable) {
        await flush();
        throw error;
      }
      skipParent(parent, error);
      continue;
    }
    cursor.pages += 1;
    cursor.items += page.count;
    for (const item of page.items) {
      if (item.document) lines.push(JSON.stringify(item.document));
      if (item.children !== undefined) cursor.pending.push([item.children, depth + 1]);
    }
    cursor.documentLines += page.items.filter((item) => item.document).length;
    if (!page.hasMore) {
      finishParent(cursor, folder.maxDepth, tooDeep);
      continue;
    }
    const endless = (why: string) =>
      new MirrorError('UPSTREAM_ERROR', `the listing of ${parent || 'the top level'} ${why}; it would never end`, {
        retryable: false,
      });
    if (page.pageToken === undefined) skipParent(parent, endless('says more follow but gives no page token'));
    else if (cursor.pageTokens.includes(page.pageToken)) skipParent(parent, endless('gives a page token again'));
    else if (cursor.pageTokens.length >= MAX_PAGES_PER_PARENT) skipParent(parent, endless('goes on past 1,000 pages'));
    else {
      cursor.pageToken = page.pageToken;
      cursor.pageTokens.push(page.pageToken);
    }
  }

  // Collected with the time a large place needs, or with whatever time an invocation has that had nothing to list.
  const timeToCollect = deadline.allows(COLLECT_MS, FLUSH_MS) || cursor.pages === pagesBefore;
  if (cursor.collected === undefined && cursor.parents.length === 0 && timeToCollect) {
    await flush();
    cursor.collected = await collect(s3, bucket, keys, cursor.parts, request.refresh, signal);
  }
  await flush();
  const progress: CrawlProgress = {
    kind: endpoint.kind,
    source: { ...request.source },
    run: request.run,
    done: cursor.collected !== undefined,
    parentsLeft: cursor.parents.length,
    pages: cursor.pages,
    items: cursor.items,
    invocations: cursor.invocations,
    listingFailures: cursor.failures.length,
    manifest: keys.manifest,
    whiteboardManifest: keys.whiteboards,
    ...(cursor.collected ?? {}),
    summary: keys.summary,
  };
  logger.info('place listed', { ...progress, transport: invocation.trigger });
  return progress;
}

function newCursor(start: string | undefined): CrawlCursor {
  return {
    parents: [[start ?? '', 0]],
    pageTokens: [],
    pending: [],
    parts: 0,
    pages: 0,
    items: 0,
    documentLines: 0,
    invocations: 0,
    startedAt: new Date().toISOString(),
    failures: [],
  };
}

/**
 * Moves past the parent being listed: its children with children of their own become the next
 * parents (in listing order), unless they lie deeper than the place nests (`tooDeep`).
 */
function finishParent(cursor: CrawlCursor, maxDepth: number, tooDeep: (token: string) => void): void {
  cursor.parents.pop();
  cursor.pageToken = undefined;
  cursor.pageTokens = [];
  const pending = cursor.pending;
  cursor.pending = [];
  for (const [token, depth] of [...pending].reverse()) {
    if (depth >= maxDepth) tooDeep(token);
    else cursor.parents.push([token, depth]);
  }
}

/**
 * Reads every part, keeps each document once (the latest edit time of its lines: a shortcut
 * and its origin are one document), writes what was found (`found.json`) and the manifest of
 * those to mirror: all with `refresh`, else those absent from the last finished run, edited
 * since, or whose edit time is unknown. The whiteboards the last run found in the documents left
 * unchanged go into a manifest of their own: a whiteboard changes as it is edited, its document's
 * edit time does not, and refreshing it costs one call rather than its document's every block.
 */
async function collect(
  s3: ReturnType<Invocation['clients']['s3']>,
  bucket: string,
  keys: ReturnType<typeof placeKeys>,
  parts: number,
  refresh: boolean,
  signal: AbortSignal,
): Promise<NonNullable<CrawlCursor['collected']>> {
  const found = new Map<string, number | null>();
  for (let part = 1; part <= parts; part += 1) {
    const text = (await readText(s3, bucket, keys.part(part), signal)) ?? '';
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const document = JSON.parse(line) as FoundDocument;
      const known = found.get(document.documentId);
      const editTime = document.editTime ?? null;
      if (known === undefined || (editTime !== null && (known === null || editTime > known))) {
        found.set(document.documentId, editTime);
      }
    }
  }
  const last = refresh ? undefined : await readJson<LastRun>(s3, bucket, keys.lastRun, signal);
  const toMirror = [...found].filter(([documentId, editTime]) => {
    const before = last?.documents[documentId];
    return before === undefined || before === null || editTime === null || editTime > before;
  });
  await writeText(s3, bucket, keys.found, JSON.stringify(Object.fromEntries(found)), signal);
  const manifest = toMirror.map(([documentId]) => JSON.stringify({ documentId })).join('\n');
  await writeText(s3, bucket, keys.manifest, manifest === '' ? '' : `${manifest}\n`, signal);
  const mirrored = new Set(toMirror.map(([documentId]) => documentId));
  const whiteboards = [...found.keys()]
    .filter((documentId) => !mirrored.has(documentId))
    .flatMap((documentId) => last?.whiteboards?.[documentId] ?? []);
  const boards = [...new Set(whiteboards)].map((whiteboardId) => JSON.stringify({ whiteboardId, refresh: true }));
  await writeText(s3, bucket, keys.whiteboards, boards.length === 0 ? '' : `${boards.join('\n')}\n`, signal);
  return {
    found: found.size,
    toMirror: toMirror.length,
    unchanged: found.size - toMirror.length,
    whiteboards: boards.length,
  };
}
