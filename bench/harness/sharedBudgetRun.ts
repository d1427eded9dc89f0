import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalDynamo } from '../../tests/sandbox/dynamodb/startLocalDynamo';
import { startFeishuSandbox, type FeishuSandbox, type RateLimitCounting } from '../../tests/sandbox/feishu';
import { busiestSpan } from '../../tests/support/busiestSpan';
import type { InvocationResult } from '../child/messages';
import { ContestantProcess } from './ContestantProcess';

/** One kind of batch run by several execution environments at once. */
export interface SharedBatch {
  functionName: 'imImage' | 'whiteboardImage';
  /** The endpoint as the sandbox records it. */
  endpoint: 'im' | 'whiteboard';
  /** The payload field naming an image. */
  field: string;
  environments: number;
  itemsEach: number;
  /** Feishu's limit per second and, where it has one, per minute. */
  perSecond: number;
  perMinute?: number;
}

/** What the sandbox, the table and the invocations saw of one kind of batch. */
export interface SharedBatchOutcome {
  batch: SharedBatch;
  succeeded: number;
  failed: number;
  /** Invocations that threw, or whose process died. */
  failedInvocations: number;
  /** Downloads Feishu saw (retries included), and how many it answered with a rate-limit error. */
  feishuCalls: number;
  rateLimited: number;
  /** The most downloads that arrived in one whole second, and in one whole minute, of the clock. */
  busiestSecond: number;
  busiestMinute: number;
  /** The most downloads that arrived within any one second, and any sixty seconds, wherever they start. */
  busiestSecondSpan: number;
  busiestMinuteSpan: number;
  /** Requests the environments sent to the table. */
  tableRequests: number;
  /** The longest invocation, from the common start to its answer. */
  longestMs: number;
  /** Each invocation's duration, in the order the environments were started. */
  durationsMs: number[];
}

/** How to run the environments: their script and bundles, and their settings beyond Feishu's and the table's. */
export interface SharedRunSetup {
  contestantProcess: string;
  bundleOf(functionName: string): string;
  envFor(feishu: FeishuSandbox): NodeJS.ProcessEnv;
  /** Ids unique to the run, so no image is a stored copy already. */
  nonce: string;
  /** Each invocation's Lambda time. */
  budgetMs: number;
  /** Start on a whole minute of the clock, so Feishu's busiest minute is measured in full. */
  alignToMinute: boolean;
  /** Whether the environments share the budget in a table (false: each keeps the limits alone). */
  sharedBudget?: boolean;
  /** How the sandbox counts its rate windows; default `aligned`, as before. */
  counting?: RateLimitCounting;
}

/**
 * Runs every batch at once, each in its own execution environments (one Node process each, as
 * Lambda runs them), against one Feishu sandbox enforcing the documented limits, counted in
 * fixed windows aligned to the clock unless `setup.counting` says otherwise, with each kind's
 * budget in a table of its own (dynalite, in this process) so that its requests are counted
 * apart. Every environment is warm before the common start.
 *
 * @example
 * const [im] = await runSharedBatches(setup, [{ functionName: 'imImage', endpoint: 'im', … }]);
 */
export async function runSharedBatches(
  setup: SharedRunSetup,
  batches: readonly SharedBatch[],
): Promise<SharedBatchOutcome[]> {
  const feishu = await startFeishuSandbox({ rateLimits: true, rateLimitCounting: setup.counting ?? 'aligned' });
  const shared = setup.sharedBudget ?? true;
  const tables = await Promise.all(batches.map(() => (shared ? startLocalDynamo() : undefined)));
  const started: ContestantProcess[] = [];
  try {
    const groups = await Promise.all(
      batches.map(async (batch, b) => {
        const table = tables[b];
        const env = {
          ...setup.envFor(feishu),
          RATE_LIMIT_TABLE: table?.tableName ?? '',
          AWS_ENDPOINT_URL_DYNAMODB: table?.endpoint ?? '',
        };
        const processes = await Promise.all(
          Array.from({ length: batch.environments }, () =>
            ContestantProcess.start(setup.contestantProcess, setup.bundleOf(batch.functionName), env),
          ),
        );
        started.push(...processes);
        return processes;
      }),
    );
    const tableRequestsBefore = tables.map((table) => table?.requests() ?? 0);
    if (setup.alignToMinute) await sleep(60_000 - (Date.now() % 60_000));
    const results = await Promise.all(
      batches.map((batch, b) =>
        Promise.all(
          groups[b]!.map((environment, e) =>
            environment.invoke(
              {
                items: Array.from({ length: batch.itemsEach }, (_, i) => ({
                  [batch.field]: sharedBatchId(setup.nonce, e, i),
                })),
              },
              { budgetMs: setup.budgetMs },
            ),
          ),
        ),
      ),
    );
    return batches.map((batch, b) =>
      outcome(batch, results[b]!, feishu, (tables[b]?.requests() ?? 0) - tableRequestsBefore[b]!),
    );
  } finally {
    await Promise.all(started.map((environment) => environment.close()));
    await Promise.all([feishu.close(), ...tables.map((table) => table?.close())]);
  }
}

/** The id of item `i` in environment `e`'s batch. */
export function sharedBatchId(nonce: string, e: number, i: number): string {
  return `shared${nonce}e${e}n${i}`;
}

function outcome(
  batch: SharedBatch,
  results: readonly InvocationResult[],
  feishu: FeishuSandbox,
  tableRequests: number,
): SharedBatchOutcome {
  const answers = results.map((result) => result.answer as { succeeded?: number; failed?: number } | undefined);
  const downloads = feishu.requests.filter((request) => request.endpoint === batch.endpoint);
  const times = downloads.map((request) => request.at);
  return {
    batch,
    succeeded: answers.reduce((sum, answer) => sum + (answer?.succeeded ?? 0), 0),
    failed: answers.reduce((sum, answer) => sum + (answer?.failed ?? 0), 0),
    failedInvocations: results.filter((result) => result.error !== undefined).length,
    feishuCalls: downloads.length,
    rateLimited: downloads.filter((request) => request.status === 429).length,
    busiestSecond: busiest(downloads, 1000),
    busiestMinute: busiest(downloads, 60_000),
    busiestSecondSpan: busiestSpan(times, 1000),
    busiestMinuteSpan: busiestSpan(times, 60_000),
    tableRequests,
    longestMs: Math.max(...results.map((result) => result.durationMs)),
    durationsMs: results.map((result) => result.durationMs),
  };
}

/** The most arrivals in one whole window of `ms` (aligned to the clock, as Feishu's are). */
function busiest(requests: readonly { at: number }[], ms: number): number {
  const counts = new Map<number, number>();
  for (const { at } of requests) counts.set(Math.floor(at / ms), (counts.get(Math.floor(at / ms)) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}
