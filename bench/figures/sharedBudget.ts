import { setTimeout as sleep } from 'node:timers/promises';
import { startFeishuSandbox } from '../../tests/sandbox/feishu';
import { startLocalDynamo } from '../../tests/sandbox/dynamodb/startLocalDynamo';
import { bundleOf, type Bundles } from '../harness/buildBundles';
import type { BenchEnvironment } from '../harness/BenchEnvironment';
import { ContestantProcess } from '../harness/ContestantProcess';
import { runSharedBatches, type SharedBatch, type SharedBatchOutcome } from '../harness/sharedBudgetRun';
import { median } from '../harness/stats';
import { ratio, type Figure } from './Figure';

/** The proof's batches (tests/proof/sharedBudget.proof.ts): 8 × 150 im images and 4 × 150 whiteboards at once. */
export const SHARED_BATCHES: readonly SharedBatch[] = [
  {
    functionName: 'imImage',
    endpoint: 'im',
    field: 'imageKey',
    environments: 8,
    itemsEach: 150,
    perSecond: 50,
    perMinute: 1000,
  },
  {
    functionName: 'whiteboardImage',
    endpoint: 'whiteboard',
    field: 'whiteboardId',
    environments: 4,
    itemsEach: 150,
    perSecond: 10,
  },
];

/** Lambda time of each invocation, as in the proof. */
const BUDGET_MS = 120_000;

/**
 * The shared budget's figures: for each batch, Feishu's busiest minute against its limit and the
 * rate-limit answers, with the budget (ours) and with each environment pacing itself alone
 * (baseline: RATE_LIMIT_TABLE empty, as before the budget); the most calls within any one
 * second, wherever it starts (a sliding window's count); the table requests per Feishu call;
 * and what one image's slot costs, as the ratio of its median latency with the budget to without
 * (the endpoint idle, and one image after another).
 */
export async function sharedBudgetFigures(
  bundles: Bundles,
  environment: BenchEnvironment,
  nonce: string,
  slotRuns: number,
): Promise<Figure[]> {
  const setup = {
    contestantProcess: bundles.contestantProcess,
    bundleOf: (functionName: string) => bundleOf(bundles, 'ours', functionName),
    envFor: (feishu: Parameters<BenchEnvironment['envFor']>[1]) => environment.envFor('ours', feishu),
    budgetMs: BUDGET_MS,
    alignToMinute: true,
  };
  const shared = await runSharedBatches({ ...setup, nonce: `${nonce}s` }, SHARED_BATCHES);
  const alone = await runSharedBatches({ ...setup, nonce: `${nonce}a`, sharedBudget: false }, SHARED_BATCHES);
  const figures = shared.flatMap((outcome, i) => batchFigures(outcome, alone[i]!));
  figures.push(...(await slotFigures(bundles, environment, nonce, slotRuns)));
  return figures;
}

function batchFigures(ours: SharedBatchOutcome, alone: SharedBatchOutcome): Figure[] {
  const { batch } = ours;
  const images = batch.endpoint === 'im' ? 'im images' : 'whiteboards';
  const name = `${batch.environments} environments × ${batch.itemsEach} ${images}`;
  const perMinute = batch.perMinute ?? batch.perSecond * 60;
  const limits = batch.perMinute === undefined ? `${batch.perSecond}/s` : `${batch.perSecond}/s, ${perMinute}/min`;
  const details = (outcome: SharedBatchOutcome) => {
    const { batch: _batch, ...figures } = outcome;
    return figures;
  };
  return [
    {
      id: `shared-pace-${batch.endpoint}`,
      figure: `${name} at once (${limits}): Feishu's busiest minute`,
      unit: 'calls',
      ours: ours.busiestMinute,
      baseline: alone.busiestMinute,
      floor: perMinute,
      ratios: { 'ours/limit': ratio(ours.busiestMinute, perMinute) },
      goal: '≥ 90% of the limit, never over it',
      met: ours.busiestMinute >= 0.9 * perMinute && ours.busiestMinute <= perMinute,
      details: { ours: details(ours), baseline: details(alone) },
      note: 'baseline = the same environments without RATE_LIMIT_TABLE; floor = the limit',
    },
    {
      id: `shared-span-${batch.endpoint}`,
      figure: `${name} at once: the most calls Feishu received within any one second`,
      unit: 'calls',
      ours: ours.busiestSecondSpan,
      baseline: alone.busiestSecondSpan,
      floor: batch.perSecond,
      ratios: { 'ours/limit': ratio(ours.busiestSecondSpan, batch.perSecond) },
      goal: '≤ the limit: a sliding second keeps it',
      met: ours.busiestSecondSpan <= batch.perSecond,
      note: 'a span of one second wherever it starts, from the sandbox record of arrivals; floor = the limit',
    },
    {
      id: `shared-429-${batch.endpoint}`,
      figure: `${name} at once: Feishu's rate-limit answers`,
      unit: 'requests',
      ours: ours.rateLimited,
      baseline: alone.rateLimited,
      floor: null,
      ratios: {},
      goal: 'ours: 0, every image stored',
      met: ours.rateLimited === 0 && ours.failed === 0 && ours.succeeded === batch.environments * batch.itemsEach,
    },
    {
      id: `shared-requests-${batch.endpoint}`,
      figure: `${name} at once: DynamoDB requests per Feishu call`,
      unit: 'requests/call',
      ours: ours.tableRequests / ours.feishuCalls,
      baseline: null,
      floor: null,
      ratios: {},
      goal: '≤ 1',
      met: ours.tableRequests <= ours.feishuCalls,
      details: { tableRequests: ours.tableRequests, feishuCalls: ours.feishuCalls },
    },
  ];
}

/** A pause longer than im's interval (61 ms): the schedule is idle when the next image comes. */
const IDLE_PAUSE_MS = 200;

/**
 * One im image at a time, a cache miss each, in two warm environments taking turns: one with
 * the budget in a table, one without; first with a pause before each image, so that the
 * schedule is idle when it comes, then back to back. The ratio of their medians is what a call
 * pays for its slot: when nothing else competes for it, one conditional UpdateItem on loopback;
 * back to back, also the rest of the interval since the image before.
 */
async function slotFigures(
  bundles: Bundles,
  environment: BenchEnvironment,
  nonce: string,
  runs: number,
): Promise<Figure[]> {
  const feishu = await startFeishuSandbox({ rateLimits: false });
  const table = await startLocalDynamo();
  const bundle = bundleOf(bundles, 'ours', 'imImage');
  const env = environment.envFor('ours', feishu);
  const withBudget = await ContestantProcess.start(bundles.contestantProcess, bundle, {
    ...env,
    RATE_LIMIT_TABLE: table.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
  });
  const alone = await ContestantProcess.start(bundles.contestantProcess, bundle, { ...env, RATE_LIMIT_TABLE: '' });
  const medians = async (prefix: string, pauseMs: number): Promise<{ budgetMs: number; aloneMs: number }> => {
    const durations = { budget: [] as number[], alone: [] as number[] };
    for (let run = -1; run < runs; run += 1) {
      // Run -1 warms both (token, connections); it is not counted.
      await sleep(pauseMs);
      const budget = await withBudget.invoke({ imageKey: `slot${nonce}${prefix}b${run}` });
      const own = await alone.invoke({ imageKey: `slot${nonce}${prefix}a${run}` });
      if (budget.error || own.error) throw new Error(`slot latency: ${(budget.error ?? own.error)?.message}`);
      if (run < 0) continue;
      durations.budget.push(budget.durationMs);
      durations.alone.push(own.durationMs);
    }
    return { budgetMs: median(durations.budget), aloneMs: median(durations.alone) };
  };
  try {
    const idle = await medians('i', IDLE_PAUSE_MS);
    const backToBack = await medians('', 0);
    const figure = (
      id: string,
      when: string,
      goal: string,
      { budgetMs, aloneMs }: { budgetMs: number; aloneMs: number },
    ) => ({
      id,
      figure: `one im image, cache miss${when}: latency with its slot of the shared budget`,
      unit: 'ms',
      ours: budgetMs,
      baseline: aloneMs,
      floor: null,
      ratios: { 'ours/baseline': ratio(budgetMs, aloneMs) },
      goal,
      met: null,
      details: { runs },
      note: 'baseline = the same function without RATE_LIMIT_TABLE',
    });
    return [
      figure('shared-slot-latency', ', the endpoint idle', '— (the cost of one conditional UpdateItem, shown)', idle),
      figure(
        'shared-slot-latency-back-to-back',
        ', one after another',
        "— (also the rest of im's 61 ms interval, shown)",
        backToBack,
      ),
    ];
  } finally {
    await Promise.all([withBudget.close(), alone.close()]);
    await Promise.all([feishu.close(), table.close()]);
  }
}
