import { MiB } from './harness/stats';
import { NAMED_PROFILES, withOverrides, type NetworkProfile, type ShapeOverrides } from './network/NetworkProfile';

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
  /** Rounds of each large image under a shaped profile, where a 256 MiB image takes seconds. */
  shapedLargeRuns: number;
  tokenConcurrency: number;
  throughputItems: number;
  /** The networks every figure is measured under, side by side (both named profiles by default). */
  profiles: NetworkProfile[];
  /** Images in the batch measured under every profile, at the rate limit. */
  batchItems: number;
  /** Images in the docx document measured under every profile. */
  documentImages: number;
  documentRuns: number;
}

const OVERRIDES: Record<string, keyof ShapeOverrides> = {
  '--feishu-rtt': 'feishuRttMs',
  '--feishu-mbps': 'feishuMbps',
  '--s3-rtt': 's3RttMs',
  '--s3-mbps': 's3Mbps',
};

/** The profiles `--profile=<name>` (repeatable) names, all when none, with the link figures overridden. */
function profilesOf(args: readonly string[]): NetworkProfile[] {
  const names = args.filter((arg) => arg.startsWith('--profile=')).map((arg) => arg.slice('--profile='.length));
  const overrides: ShapeOverrides = {};
  for (const arg of args) {
    const [flag = '', value] = arg.split('=');
    const field = OVERRIDES[flag];
    if (field === undefined) continue;
    if (!(Number(value) >= 0)) throw new Error(`${flag} takes a number ≥ 0, not ${value}`);
    overrides[field] = Number(value);
  }
  const chosen =
    names.length === 0
      ? NAMED_PROFILES
      : names.map((name) => {
          const profile = NAMED_PROFILES.find((known) => known.name === name);
          if (!profile)
            throw new Error(`unknown profile ${name}; known: ${NAMED_PROFILES.map((known) => known.name).join(', ')}`);
          return profile;
        });
  return chosen.map((profile) => withOverrides(profile, overrides));
}

/**
 * Reads `npm run bench -- [--quick] [--skip-throughput] [--ours=esbuild] [--profile=aws-to-feishu|loopback]
 * [--feishu-rtt=ms] [--feishu-mbps=n] [--s3-rtt=ms] [--s3-mbps=n]`.
 *
 * @example
 * benchOptions(['--quick', '--skip-throughput', '--profile=loopback']);
 */
export function benchOptions(args: readonly string[]): BenchOptions {
  const known = ['--quick', '--skip-throughput', '--ours=esbuild', '--ours=package'];
  const unknown = args.filter(
    (arg) => !known.includes(arg) && !arg.startsWith('--profile=') && !(arg.split('=')[0]! in OVERRIDES),
  );
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
    shapedLargeRuns: quick ? 1 : 3,
    tokenConcurrency: 100,
    throughputItems: quick ? 100 : 1000,
    profiles: profilesOf(args),
    batchItems: 100,
    documentImages: 20,
    documentRuns: quick ? 1 : 3,
  };
}
