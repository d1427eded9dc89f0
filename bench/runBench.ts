import { randomBytes } from 'node:crypto';
import type { BenchOptions } from './BenchOptions';
import { bundleSizeFigures } from './figures/bundleSize';
import { coldStartFigures } from './figures/coldStart';
import { docxDocumentFigure } from './figures/docxDocument';
import type { Figure } from './figures/Figure';
import { largeImageFigures } from './figures/largeImages';
import { proxyCostFigures } from './figures/proxyCost';
import { smallImageFigures, type SizePoint } from './figures/smallImage';
import { throughputFigures } from './figures/throughput';
import { tokenFigure } from './figures/tokens';
import { machineOf } from './harness/stats';
import { startBenchEnvironment, type BenchEnvironment } from './harness/BenchEnvironment';
import { buildBundles, CONTESTANTS, type Bundles, type ContestantName } from './harness/buildBundles';
import { LOOPBACK } from './network/NetworkProfile';
import { shapedEnvironment } from './network/shapedEnvironment';

/** Per contestant, one point per image size (100 KiB, then the large ones), smallest first. */
export type SizeSeries = Record<ContestantName, SizePoint[]>;

/** Everything one run measured: the table's figures and the per-size series of the chart. */
export interface BenchResults {
  measuredAt: string;
  machine: { node: string; cpus: number; cpuModel: string; platform: string };
  options: BenchOptions;
  /** Every figure, each under the profile it names, one profile's after the other's. */
  figures: Figure[];
  /** The series the cost model prices: the first profile's (aws-to-feishu, unless only loopback ran). */
  series: SizeSeries;
  /** The chart's series, by profile name. */
  seriesByProfile?: Record<string, SizeSeries>;
}

/** Everything measured under one network: its figures (tagged with it) and its size series. */
async function measureProfile(
  bundles: Bundles,
  environment: BenchEnvironment,
  options: BenchOptions,
  nonce: string,
  log: (line: string) => void,
): Promise<{ figures: Figure[]; series: SizeSeries }> {
  const shaped = environment.network.feishu !== undefined;
  const figures: Figure[] = [];
  log(`[${environment.network.name}] cold start, ${options.coldStartRuns} runs…`);
  figures.push(...(await coldStartFigures(bundles, environment, options.coldStartRuns, nonce)));
  log(`[${environment.network.name}] small image, ${options.smallRuns} misses and ${options.cacheHitRuns} hits…`);
  const small = await smallImageFigures(bundles, environment, options.smallRuns, options.cacheHitRuns);
  figures.push(small.miss);
  // A shaped link moves 256 MiB in about 21 s a contestant: fewer rounds there, all sizes still.
  const largeRuns = shaped ? options.shapedLargeRuns : options.largeRuns;
  const largeSizes = options.largeSizes.map((bytes) => `${bytes / 1048576} MiB`).join(', ');
  log(`[${environment.network.name}] large images, ${largeSizes}, ${largeRuns} runs each…`);
  const large = await largeImageFigures(bundles, environment, options.largeSizes, largeRuns);
  figures.push(...large.figures, small.hit);
  log(`[${environment.network.name}] tokens, ${options.tokenConcurrency} concurrent cold requests…`);
  figures.push(await tokenFigure(bundles, environment, options.tokenConcurrency, nonce));
  if (!options.skipThroughput) {
    log(`[${environment.network.name}] a batch of ${options.batchItems} items at the rate limit…`);
    figures.push(...(await throughputFigures(bundles, environment, options.batchItems, nonce)));
  }
  log(`[${environment.network.name}] a docx document of ${options.documentImages} images…`);
  const offset = 1000 * (options.profiles.findIndex((profile) => profile.name === environment.network.name) + 1);
  figures.push(await docxDocumentFigure(bundles, environment, options.documentImages, options.documentRuns, offset));
  const series = Object.fromEntries(
    CONTESTANTS.map((name) => [name, [small.points[name], ...large.points[name]]]),
  ) as SizeSeries;
  return { figures: figures.map((figure) => ({ ...figure, profile: environment.network.name })), series };
}

/**
 * Builds the three contestants and measures every figure under each network profile, one profile
 * after the other, against one Feishu sandbox and one S3 server; then what the shaping proxy
 * itself costs, and the long batch throughput on loopback. `log` hears progress.
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
    const seriesByProfile: Record<string, SizeSeries> = {};
    for (const profile of options.profiles) {
      const shaped = await shapedEnvironment(environment, profile);
      try {
        const measured = await measureProfile(bundles, shaped, options, nonce, log);
        figures.push(...measured.figures);
        seriesByProfile[profile.name] = measured.series;
      } finally {
        if (shaped !== environment) await shaped.close();
      }
    }
    log(`the proxy's own cost, at 0 ms against direct…`);
    figures.push(...(await proxyCostFigures(bundles, environment, options.smallRuns / 2, options.largeRuns)));
    if (!options.skipThroughput && options.throughputItems > options.batchItems) {
      log(`[loopback] batch throughput, ${options.throughputItems} items per batch…`);
      const throughput = await throughputFigures(bundles, environment, options.throughputItems, nonce);
      figures.push(...throughput.map((figure) => ({ ...figure, profile: LOOPBACK.name })));
    }
    const first = options.profiles[0]?.name ?? LOOPBACK.name;
    return {
      measuredAt: new Date().toISOString(),
      machine: machineOf(),
      options,
      figures,
      series: seriesByProfile[first]!,
      seriesByProfile,
    };
  } finally {
    await environment.close();
  }
}
