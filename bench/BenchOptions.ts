import { MiB } from './harness/stats';

/** How much the bench measures: the full counts, or smaller ones with `--quick`. */
export interface BenchOptions {
  quick: boolean;
  /** Skip the batch throughput figure (about two minutes in a full run). */
  skipThroughput: boolean;
  /** Where ours come from: `serverless package` (default) or esbuild with the same settings. */
  ours: 'package' | 'esbuild';
  coldStartRuns: number;
  smallRuns: number;
  cacheHitRuns: number;
  largeSizes: number[];
  largeRuns: number;
  tokenConcurrency: number;
  throughputItems: number;
}

/**
 * Reads `npm run bench -- [--quick] [--skip-throughput] [--ours=esbuild]`.
 *
 * @example
 * benchOptions(['--quick', '--skip-throughput']);
 */
export function benchOptions(args: readonly string[]): BenchOptions {
  const known = ['--quick', '--skip-throughput', '--ours=esbuild', '--ours=package'];
  const unknown = args.filter((arg) => !known.includes(arg));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const quick = args.includes('--quick');
  return {
    quick,
    skipThroughput: args.includes('--skip-throughput'),
    ours: args.includes('--ours=esbuild') ? 'esbuild' : 'package',
    coldStartRuns: quick ? 3 : 15,
    smallRuns: quick ? 20 : 200,
    cacheHitRuns: quick ? 20 : 200,
    // 5 and 50 MiB are the cost model's sizes; the results table names 16, 64 and 256 MiB.
    largeSizes: (quick ? [16] : [5, 16, 50, 64, 256]).map((size) => size * MiB),
    largeRuns: quick ? 2 : 5,
    tokenConcurrency: 100,
    throughputItems: quick ? 100 : 1000,
  };
}
