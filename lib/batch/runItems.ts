import { subjectOf } from '../endpoints';
import { failureBody, toErrorBody, toMirrorError } from '../errors/errorBody';
import { aboutSource, MirrorError } from '../errors/MirrorError';
import type { Invocation } from '../mirror/Invocation';
import { logFailure, mirrorLogged } from '../mirror/mirrorLogged';
import type { DocumentAnswer } from '../mirror/DocumentAnswer';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { presignAnswer } from '../mirror/mirrorImage';
import type { MirrorRequest } from '../mirror/MirrorRequest';
import type { BatchEntry } from '../request/BatchEntry';
import type { Deadline } from '../runtime/Deadline';
import type { BatchAnswer } from './BatchAnswer';

/** An item is not started with less time left than this: it could not finish, only be cut off. */
const MIN_ITEM_MS = 1000;

/**
 * Whether the invocation has the time to start an item: at least MIN_ITEM_MS before its deadline.
 *
 * @example
 * if (!hasTimeForAnItem(invocation.deadline)) throw new MirrorError('UPSTREAM_TIMEOUT', '… (send it again)');
 */
export function hasTimeForAnItem(deadline: Deadline): boolean {
  return deadline.allows(0, MIN_ITEM_MS);
}

/** Items naming the same image (and token): fetched once, answered each with its own options. */
interface ImageGroup {
  request: MirrorRequest;
  items: { index: number; request: MirrorRequest }[];
}

/** What is done with one item of a batch: an image mirrored, or a whole document. */
export type ItemWork = (invocation: Invocation, request: MirrorRequest) => Promise<MirrorAnswer | DocumentAnswer>;

/** The work of an item that names one image. */
export const mirrorOneImage: ItemWork = async (invocation, request) => (await mirrorLogged(invocation, request)).answer;

/**
 * Runs the items of a batch within one invocation: up to BATCH_CONCURRENCY at once, every
 * Feishu call within its endpoint's rate limit, each image fetched once however many items
 * name it. An item not started when the invocation's time runs short is answered
 * UPSTREAM_TIMEOUT (retryable), so nothing is lost to a Lambda timeout. Results keep the
 * items' order.
 *
 * @example
 * const answer = await runItems(parseBatch(input, im, settings), invocation, mirrorOneImage);
 */
export async function runItems(
  entries: readonly BatchEntry[],
  invocation: Invocation,
  work: ItemWork,
): Promise<BatchAnswer> {
  const results: BatchAnswer['results'] = new Array(entries.length);
  const groups = groupByImage(entries, invocation, results);

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length && hasTimeForAnItem(invocation.deadline)) {
      await runGroup(groups[next++]!, invocation, work, results);
    }
  };
  const workers = Math.min(invocation.settings.batchConcurrency, groups.length);
  await Promise.all(Array.from({ length: workers }, worker));
  answerNotStarted(groups.slice(next), invocation, results);

  const failed = results.filter((result) => 'error' in result).length;
  return { results, succeeded: results.length - failed, failed };
}

function groupByImage(
  entries: readonly BatchEntry[],
  invocation: Invocation,
  results: BatchAnswer['results'],
): ImageGroup[] {
  const groups = new Map<string, ImageGroup>();
  entries.forEach((entry, index) => {
    if (entry instanceof MirrorError) {
      // Refused before any call, and as much a failure to its sender as one Feishu answered.
      logFailure(invocation, entry, 0);
      results[index] = toErrorBody(entry);
      return;
    }
    // A document's answer is made for its options, so only items asking the very same share one.
    const key = invocation.endpoint.document
      ? JSON.stringify(entry)
      : JSON.stringify([invocation.endpoint.ids.map((name) => entry.source[name]), entry.userAccessToken ?? null]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { request: { ...entry }, items: [{ index, request: entry }] });
    else {
      group.items.push({ index, request: entry });
      // One item asking for a refresh refreshes the image for all of them.
      group.request.refresh ||= entry.refresh;
    }
  });
  return [...groups.values()];
}

/**
 * Answers the groups no worker had the time to start UPSTREAM_TIMEOUT, each naming its image,
 * and logs them in one line: thousands of them (a large document's images) would each cost a
 * line when time is what ran out, and the answer lists every one.
 */
function answerNotStarted(groups: readonly ImageGroup[], invocation: Invocation, results: BatchAnswer['results']) {
  const { endpoint } = invocation;
  const timeRanOut = "not started; the invocation's time ran out";
  for (const group of groups) {
    const body = failureBody(
      'UPSTREAM_TIMEOUT',
      `${subjectOf(endpoint, group.request.source)}: ${timeRanOut} (send it again)`,
    );
    for (const item of group.items) results[item.index] = body;
  }
  if (groups.length === 0) return;
  const [first] = groups;
  const items = groups.length === 1 ? 'item' : 'items';
  const message = `${groups.length} ${endpoint.noun} ${items} ${timeRanOut} (send them again)`;
  const error = new MirrorError('UPSTREAM_TIMEOUT', message, { source: first?.request.source });
  logFailure(invocation, error, 0, groups.length);
}

async function runGroup(
  group: ImageGroup,
  invocation: Invocation,
  work: ItemWork,
  results: BatchAnswer['results'],
): Promise<void> {
  let answer: MirrorAnswer | DocumentAnswer;
  const started = Date.now();
  try {
    answer = await work(invocation, group.request);
  } catch (thrown) {
    const error = aboutSource(toMirrorError(thrown), group.request.source);
    logFailure(invocation, error, Date.now() - started);
    const body = toErrorBody(error);
    for (const item of group.items) results[item.index] = body;
    return;
  }
  for (const item of group.items) {
    const same =
      item.request.expiresInSeconds === group.request.expiresInSeconds &&
      item.request.download === group.request.download;
    try {
      results[item.index] =
        same || !('url' in answer) ? answer : await presignAnswer(invocation, item.request, answer, answer.cached);
    } catch (thrown) {
      results[item.index] = toErrorBody(toMirrorError(thrown));
    }
  }
}
