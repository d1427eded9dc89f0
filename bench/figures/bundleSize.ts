import { bytesOf, type Bundles } from '../harness/buildBundles';
import { ratio, type Figure } from './Figure';

/**
 * Minified bytes of each of our functions against the baseline's bundle, built alike: two rows,
 * what a cold start loads (the entry and the chunks it imports statically) and every file the
 * function ships (with the chunks imported on first use).
 */
export function bundleSizeFigures(bundles: Bundles): Figure[] {
  const ours = Object.fromEntries(Object.entries(bundles.ours).map(([name, path]) => [name, bytesOf(path)]));
  const baseline = bytesOf(bundles.baseline);
  const floor = bytesOf(bundles.floor);
  const row = (part: 'loaded' | 'shipped'): Omit<Figure, 'id' | 'figure' | 'goal' | 'met'> => {
    const perFunction = Object.fromEntries(Object.entries(ours).map(([name, bytes]) => [name, bytes[part]]));
    const largest = Math.max(...Object.values(perFunction));
    return {
      unit: 'bytes',
      ours: largest,
      baseline: baseline[part],
      floor: floor[part],
      ratios: { 'ours/baseline': ratio(largest, baseline[part]) },
      details: { oursPerFunction: perFunction, oursFrom: bundles.oursFrom },
    };
  };
  const loaded = row('loaded');
  return [
    {
      id: 'bundleSize',
      figure: 'bundle size, loaded by a cold start (largest function)',
      ...loaded,
      goal: 'ours ≤ 0.20× the baseline',
      met: (loaded.ours as number) <= 0.2 * (loaded.baseline as number),
    },
    {
      id: 'bundleShipped',
      figure: 'bundle size, every file shipped (largest function)',
      ...row('shipped'),
      goal: '— (with the chunks loaded on first use; shown)',
      met: null,
    },
  ];
}
