import { bundleOf, type Bundles } from '../harness/buildBundles';
import type { BenchEnvironment } from '../harness/BenchEnvironment';
import { ContestantProcess } from '../harness/ContestantProcess';
import type { Figure } from './Figure';

/**
 * Token requests: a fresh process (a cold container) gets `concurrency` requests at once, each
 * for an image not stored yet; the sandbox counts the tenant-token requests it receives.
 */
export async function tokenFigure(
  bundles: Bundles,
  environment: BenchEnvironment,
  concurrency: number,
  nonce: string,
): Promise<Figure> {
  const tokenRequests: Record<string, number> = {};
  const failed: Record<string, number> = {};
  for (const name of ['ours', 'baseline'] as const) {
    const container = await ContestantProcess.start(
      bundles.contestantProcess,
      bundleOf(bundles, name, 'imImage'),
      environment.envFor(name),
    );
    try {
      const before = environment.feishu.count('token');
      const results = await Promise.all(
        Array.from({ length: concurrency }, (_, i) => container.invoke({ imageKey: `tok${nonce}n${i}` })),
      );
      tokenRequests[name] = environment.feishu.count('token') - before;
      failed[name] = results.filter((result) => result.error).length;
    } finally {
      await container.close();
    }
  }
  return {
    id: 'tokens',
    figure: `token requests, ${concurrency} concurrent cold requests`,
    unit: 'requests',
    ours: tokenRequests.ours ?? null,
    baseline: tokenRequests.baseline ?? null,
    floor: null,
    ratios: {},
    goal: 'ours: 1 (the baseline makes many)',
    met: tokenRequests.ours === 1 && failed.ours === 0,
    details: { concurrency, failedInvocations: failed },
  };
}
