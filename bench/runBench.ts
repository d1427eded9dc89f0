import { randomBytes } from 'node:crypto';
import type { BenchOptions } from './BenchOptions';
import { bundleSizeFigures } from './figures/bundleSize';
import { coldStartFigures } from './figures/coldStart';
import type { Figure } from './figures/Figure';
import { largeImageFigures } from './figures/largeImages';
import { smallImageFigures, type SizePoint } from './figures/smallImage';
import { throughputFigures } from './figures/throughput';
import { tokenFigure } from './figures/tokens';
import { machineOf } from './harness/stats';
import { startBenchEnvironment } from './harness/BenchEnvironment';
import { buildBundles, CONTESTANTS, type ContestantName } from './harness/buildBundles';

/** Everything one run measured: the table's figures and the per-size series of the chart. */
export interface BenchResults {
  measuredAt: string;
  machine: { node: string; cpus: number; cpuModel: string; platform: string };
  options: BenchOptions;
  figures: Figure[];
  /** Per contestant, one point per image size (100 KiB, then the large ones), smallest first. */
  series: Record<ContestantName, SizePoint[]>;
}

/**
 * Builds the three contestants and measures every figure, one after the other, against one
 * Feishu sandbox and one S3 server. `log` hears progress.
 *
 * @example
 * const results = await runBench(process.cwd(), '.build/bench', benchOptions(['--quick']), console.log);
 */
export async function runBench(
  root: string,
  outDir: string,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<BenchResults> {
  log(`building the contestants (ours from ${options.ours === 'package' ? 'serverless package' : 'esbuild'})…`);
  const bundles = await buildBundles(root, outDir, options.ours);
  const environment = await startBenchEnvironment(bundles.s3ServerProcess);
  // Ids unique to this run: a key already stored would make a miss a hit.
  const nonce = randomBytes(4).toString('hex');
  try {
    const figures: Figure[] = bundleSizeFigures(bundles);
    log(`cold start, ${options.coldStartRuns} runs…`);
    figures.push(...(await coldStartFigures(bundles, environment, options.coldStartRuns, nonce)));
    log(`small image, ${options.smallRuns} misses and ${options.cacheHitRuns} hits…`);
    const small = await smallImageFigures(bundles, environment, options.smallRuns, options.cacheHitRuns);
    figures.push(small.miss);
    const largeSizes = options.largeSizes.map((bytes) => `${bytes / 1048576} MiB`).join(', ');
    log(`large images, ${largeSizes}, ${options.largeRuns} runs each…`);
    const large = await largeImageFigures(bundles, environment, options.largeSizes, options.largeRuns);
    figures.push(...large.figures, small.hit);
    log(`tokens, ${options.tokenConcurrency} concurrent cold requests…`);
    figures.push(await tokenFigure(bundles, environment, options.tokenConcurrency, nonce));
    if (!options.skipThroughput) {
      log(`batch throughput, ${options.throughputItems} items per batch…`);
      figures.push(...(await throughputFigures(bundles, environment, options.throughputItems, nonce)));
    }
    const series = Object.fromEntries(
      CONTESTANTS.map((name) => [name, [small.points[name], ...large.points[name]]]),
    ) as Record<ContestantName, SizePoint[]>;
    return {
      measuredAt: new Date().toISOString(),
      machine: machineOf(),
      options,
      figures,
      series,
    };
  } finally {
    await environment.close();
  }
}
