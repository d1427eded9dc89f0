import { startFeishuSandbox } from '../../tests/sandbox/feishu';
import { bundleOf, type Bundles } from '../harness/buildBundles';
import type { BenchEnvironment } from '../harness/BenchEnvironment';
import { ContestantProcess } from '../harness/ContestantProcess';
import { ratio, type Figure } from './Figure';

/** The batch answer (docs/triggers.md, "Batches"): `{"results": [...], "succeeded": n, "failed": m}`. */
interface BatchAnswer {
  results: unknown[];
  succeeded: number;
  failed: number;
}

const NOT_AVAILABLE = 'not available (no batch support in this build)';

/** The two batches measured: whiteboards at 10/s, im images at 50/s (and 1000/min). */
const BATCHES = [
  { functionName: 'whiteboardImage', field: 'whiteboardId', perSecond: 10, idPrefix: 'wbthru' },
  { functionName: 'imImage', field: 'imageKey', perSecond: 50, idPrefix: 'imthru' },
] as const;

/**
 * Batch throughput: one invocation with a batch of `items` ids, against a sandbox that
 * enforces Feishu's documented rate limits; items per second over the limit, and the
 * rate-limit answers the sandbox gave. Ours only: a batch is a feature of this project.
 */
export async function throughputFigures(
  bundles: Bundles,
  environment: BenchEnvironment,
  items: number,
  nonce: string,
): Promise<Figure[]> {
  const feishu = await startFeishuSandbox({ rateLimits: true });
  await environment.connect(feishu);
  const figures: Figure[] = [];
  try {
    for (const batch of BATCHES) {
      const container = await ContestantProcess.start(
        bundles.contestantProcess,
        bundleOf(bundles, 'ours', batch.functionName),
        environment.envFor('ours', feishu),
      );
      try {
        const before = feishu.requests.length;
        const event = {
          items: Array.from({ length: items }, (_, i) => ({
            [batch.field]: `${batch.idPrefix}${items}x${nonce}n${i}`,
          })),
        };
        const result = await container.invoke(event);
        const seen = feishu.requests.slice(before);
        const rateLimited = seen.filter((request) => request.status === 429).length;
        // The pace Feishu saw: downloads between the first and the last arrival (its windows are aligned to the clock).
        const downloads = seen.filter((request) => request.endpoint !== 'token');
        const seenSeconds = ((downloads.at(-1)?.at ?? 0) - (downloads[0]?.at ?? 0)) / 1000;
        const feishuPerSecond = seenSeconds > 0 ? (downloads.length - 1) / seenSeconds : null;
        const images = batch.functionName === 'imImage' ? 'im images' : 'whiteboards';
        const base = {
          id: `throughput-${batch.functionName}-${items}`,
          figure: `batch throughput, ${items} ${images} at ${batch.perSecond}/s`,
          unit: 'items/s',
          baseline: null,
          floor: batch.perSecond,
          goal: '≥ 95% of the limit, zero rate-limit answers',
        };
        if (result.error?.name === 'InvalidRequestError') {
          figures.push({
            ...base,
            ours: NOT_AVAILABLE,
            ratios: {},
            met: null,
            details: { answer: result.error.message },
          });
          continue;
        }
        if (result.error)
          throw new Error(`ours, batch of ${batch.functionName}: ${result.error.name}: ${result.error.message}`);
        const answer = result.answer as BatchAnswer;
        const perSecond = answer.succeeded / (result.durationMs / 1000);
        figures.push({
          ...base,
          ours: perSecond,
          ratios: { 'ours/limit': ratio(perSecond, batch.perSecond) },
          met: perSecond >= 0.95 * batch.perSecond && rateLimited === 0 && answer.failed === 0,
          details: {
            items,
            durationMs: result.durationMs,
            succeeded: answer.succeeded,
            failed: answer.failed,
            rateLimitAnswers: rateLimited,
            feishuRequests: seen.length,
            feishuPerSecond,
          },
          note: 'floor = the documented limit; the baseline has no batches',
        });
      } finally {
        await container.close();
      }
    }
  } finally {
    await feishu.close();
  }
  return figures;
}
