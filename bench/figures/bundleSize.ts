import { bytesOf, type Bundles } from '../harness/buildBundles';
import { ratio, type Figure } from './Figure';

/** Minified bytes per function: each of ours against the baseline's single bundle. */
export function bundleSizeFigure(bundles: Bundles): Figure {
  const perFunction = Object.fromEntries(Object.entries(bundles.ours).map(([name, path]) => [name, bytesOf(path)]));
  const ours = Math.max(...Object.values(perFunction));
  const baseline = bytesOf(bundles.baseline);
  const ratios = { 'ours/baseline': ratio(ours, baseline) };
  return {
    id: 'bundleSize',
    figure: 'bundle size (largest function)',
    unit: 'bytes',
    ours,
    baseline,
    floor: bytesOf(bundles.floor),
    ratios,
    goal: 'ours ≤ 1/4 of the baseline',
    met: ours * 4 <= baseline,
    details: { oursPerFunction: perFunction, oursFrom: bundles.oursFrom },
  };
}
