import type { S3Activity } from '../child/messages';
import { CONTESTANTS, type Bundles, type ContestantName } from '../harness/buildBundles';
import type { BenchEnvironment } from '../harness/BenchEnvironment';
import { activityBetween } from '../harness/S3ServerProcess';
import { closeContestants, startContestants, succeeded } from '../harness/startContestants';
import { KiB, median } from '../harness/stats';
import { isAwsToFeishu } from '../network/NetworkProfile';
import { ratio, type Figure } from './Figure';

/** 100 KiB; the sandbox serves `big-<n>` as exactly n bytes, so `big-<SMALL + i>` is a fresh key of that size. */
export const SMALL_BYTES = 100 * KiB;

/** One contestant at one image size: median duration, and what S3 did for one image (the first). */
export interface SizePoint {
  bytes: number;
  medianMs: number;
  /** Median CPU time the contestant's process spent per image (what a small Lambda is short of). */
  medianCpuMs: number;
  /** Peak RSS above the idle process (large images only). */
  peakAboveIdleBytes?: number;
  idleRssBytes?: number;
  /** Large images: the highest heap use and Buffer memory sampled, to tell where the RSS went. */
  peakHeapUsedBytes?: number;
  peakArrayBuffersBytes?: number;
  s3: S3Activity;
}

export interface SmallImageResults {
  miss: Figure;
  hit: Figure;
  points: Record<ContestantName, SizePoint>;
}

/**
 * The small image, warm: a cache miss (a fresh im key each time, so the function really looks,
 * downloads and stores), median of `runs`; then the same key again, `hitRuns` times: ours
 * answers from the stored copy, the baseline (which has no cache) downloads again.
 */
export async function smallImageFigures(
  bundles: Bundles,
  environment: BenchEnvironment,
  runs: number,
  hitRuns: number,
): Promise<SmallImageResults> {
  const contestants = await startContestants(bundles, environment, 'imImage');
  try {
    for (let j = 1; j <= 5; j += 1) {
      for (const name of CONTESTANTS)
        succeeded(await contestants[name].invoke({ imageKey: `big-${SMALL_BYTES - j}` }), name, 'warm-up');
    }
    const durations: Record<ContestantName, number[]> = { ours: [], baseline: [], floor: [] };
    const cpu: Record<ContestantName, number[]> = { ours: [], baseline: [], floor: [] };
    const s3 = {} as Record<ContestantName, S3Activity>;
    let oursAnsweredFromCache = 0;
    for (let round = 0; round < runs; round += 1) {
      for (const name of CONTESTANTS) {
        const before = round === 0 ? await environment.s3.activity() : undefined;
        const result = succeeded(
          await contestants[name].invoke({ imageKey: `big-${SMALL_BYTES + round}` }),
          name,
          'small image',
        );
        if (before) s3[name] = activityBetween(before, await environment.s3.activity());
        durations[name].push(result.durationMs);
        cpu[name].push(result.cpuMs);
        if (name === 'ours' && (result.answer as { cached?: boolean }).cached !== false) oursAnsweredFromCache += 1;
      }
    }
    const missMs = Object.fromEntries(CONTESTANTS.map((name) => [name, median(durations[name])])) as Record<
      ContestantName,
      number
    >;

    const hitMs: Partial<Record<ContestantName, number>> = {};
    const feishuCalls: Partial<Record<ContestantName, number>> = {};
    const hitS3: Partial<Record<ContestantName, S3Activity>> = {};
    for (const name of ['ours', 'baseline'] as const) {
      const times: number[] = [];
      const calls = environment.feishu.count('im');
      const s3Before = await environment.s3.activity();
      for (let i = 0; i < hitRuns; i += 1)
        times.push(
          succeeded(await contestants[name].invoke({ imageKey: `big-${SMALL_BYTES}` }), name, 'stored image')
            .durationMs,
        );
      feishuCalls[name] = environment.feishu.count('im') - calls;
      hitS3[name] = activityBetween(s3Before, await environment.s3.activity());
      hitMs[name] = median(times);
    }

    const miss: Figure = {
      id: 'smallMiss',
      figure: 'small image, cache miss (100 KiB)',
      unit: 'ms',
      ours: missMs.ours,
      baseline: missMs.baseline,
      floor: missMs.floor,
      ratios: { 'ours/floor': ratio(missMs.ours, missMs.floor), 'ours/baseline': ratio(missMs.ours, missMs.baseline) },
      ...(isAwsToFeishu(environment.network)
        ? { goal: 'ours ≤ 1.1× the baseline', met: missMs.ours <= 1.1 * missMs.baseline }
        : { goal: 'ours ≤ 1.25× the floor', met: missMs.ours <= 1.25 * missMs.floor }),
      details: {
        runs,
        medianCpuMs: Object.fromEntries(CONTESTANTS.map((name) => [name, median(cpu[name])])),
        s3PerImage: s3,
        oursAnsweredFromCache,
      },
    };
    const hit: Figure = {
      id: 'cacheHit',
      figure: 'cache hit (immutable key stored)',
      unit: 'ms',
      ours: hitMs.ours ?? null,
      baseline: hitMs.baseline ?? null,
      floor: null,
      ratios: { 'ours hit/ours miss': ratio(hitMs.ours ?? Number.NaN, missMs.ours) },
      goal: 'ours ≤ 20% of its miss; zero Feishu calls',
      met: (hitMs.ours ?? Number.POSITIVE_INFINITY) <= 0.2 * missMs.ours && feishuCalls.ours === 0,
      details: { runs: hitRuns, feishuCalls, s3AllHits: hitS3 },
      note: 'the baseline has no cache: it downloads again',
    };
    const points = Object.fromEntries(
      CONTESTANTS.map((name) => [
        name,
        { bytes: SMALL_BYTES, medianMs: missMs[name], medianCpuMs: median(cpu[name]), s3: s3[name] },
      ]),
    ) as Record<ContestantName, SizePoint>;
    return { miss, hit, points };
  } finally {
    await closeContestants(contestants);
  }
}
