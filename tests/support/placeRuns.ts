import type { CrawlProgress } from '../../lib/batch/crawlPlace';
import type { PlaceHandler } from '../../lib/handler/createPlaceHandler';
import { lambdaContext } from './lambdaContext';

/** The docx documents of `wikigen-<count>`, by the rules of the sandbox (servedSpaces.ts): each once. */
export function wikiDocuments(count: number): string[] {
  const documents: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    const leaf = 120 + 2 * n - 1 > count;
    const shortcut = leaf && (n % 97 === 0 || n % 97 === 50);
    if (n % 3 === 1 && !shortcut) documents.push(`doxgenw${count}x${n}`);
  }
  return documents;
}

/** Sends a run's listing steps as its state machine does, each with little time, until it is done. */
export async function listRun(
  handler: PlaceHandler,
  payload: Record<string, unknown>,
  shortMs = 9_000,
): Promise<CrawlProgress[]> {
  const answers: CrawlProgress[] = [];
  let progress: CrawlProgress | undefined;
  while (progress?.done !== true) {
    // Little time while listing, so that it takes several invocations; enough to choose the documents once listed.
    const remaining = progress === undefined || progress.parentsLeft > 0 ? shortMs : 60_000;
    progress = (await handler(payload, lambdaContext(remaining))) as CrawlProgress;
    answers.push(progress);
    if (answers.length > 200) throw new Error('the listing never ended');
  }
  return answers;
}
