import type { BenchEnvironment } from '../harness/BenchEnvironment';
import type { Bundles } from '../harness/buildBundles';
import { closeContestants, startContestants, succeeded, type Contestants } from '../harness/startContestants';
import { MiB, median } from '../harness/stats';
import { PROXY_AT_ZERO } from '../network/NetworkProfile';
import { shapedEnvironment } from '../network/shapedEnvironment';
import { ratio, type Figure } from './Figure';
import { SMALL_BYTES } from './smallImage';

/** The contestants the proxy's cost is measured with: ours, and the floor, whose time is mostly the transfer. */
const MEASURED = ['ours', 'floor'] as const;

/**
 * What the shaping proxy itself costs: the same images, warm, direct and through the proxy at
 * 0 ms with no cap, the two alternating in every round so that a busy machine weighs on both
 * alike. Its keys (a little under the sizes of the other figures) are its own, so every image
 * is a miss.
 */
export async function proxyCostFigures(
  bundles: Bundles,
  environment: BenchEnvironment,
  smallRuns: number,
  largeRuns: number,
): Promise<Figure[]> {
  const proxied = await shapedEnvironment(environment, PROXY_AT_ZERO);
  const ways: Record<'direct' | 'proxied', Contestants> = {
    direct: await startContestants(bundles, environment, 'imImage'),
    proxied: await startContestants(bundles, proxied, 'imImage'),
  };
  try {
    const measure = async (bytes: number, runs: number): Promise<Record<string, number>> => {
      const times: Record<string, number[]> = {};
      for (let round = 0; round < runs; round += 1) {
        for (const [way, contestants] of Object.entries(ways)) {
          for (const name of MEASURED) {
            const result = await contestants[name].invoke({ imageKey: `big-${bytes - 1000 - round}` });
            const series = `${name} ${way}`;
            times[series] = [...(times[series] ?? []), succeeded(result, name, `${way}, ${bytes} bytes`).durationMs];
          }
        }
      }
      return Object.fromEntries(Object.entries(times).map(([series, list]) => [series, median(list)]));
    };
    await measure(SMALL_BYTES - 500, 2);
    const sizes = [
      { bytes: SMALL_BYTES, label: 'small image miss (100 KiB)', runs: smallRuns },
      { bytes: 16 * MiB, label: 'large image 16 MiB', runs: largeRuns },
    ];
    const figures: Figure[] = [];
    for (const { bytes, label, runs } of sizes) {
      const ms = await measure(bytes, runs);
      const added = (name: string): number => (ms[`${name} proxied`] ?? 0) - (ms[`${name} direct`] ?? 0);
      figures.push({
        id: `proxyCost${bytes === SMALL_BYTES ? 'Small' : 'Large'}`,
        profile: PROXY_AT_ZERO.name,
        figure: `the proxy's own cost: ${label}, through it at 0 ms against direct`,
        unit: 'ms',
        ours: ms['ours proxied'] ?? null,
        baseline: null,
        floor: ms['floor proxied'] ?? null,
        ratios: Object.fromEntries(
          MEASURED.map((name) => [`${name} proxied/direct`, ratio(ms[`${name} proxied`]!, ms[`${name} direct`]!)]),
        ),
        goal: '— (shown: every shaped figure carries it)',
        met: null,
        details: {
          runs,
          directMs: { ours: ms['ours direct'], floor: ms['floor direct'] },
          addedMs: Object.fromEntries(MEASURED.map((name) => [name, Math.round(added(name) * 100) / 100])),
        },
      });
    }
    return figures;
  } finally {
    await Promise.all(Object.values(ways).map(closeContestants));
    await proxied.close();
  }
}
