import { CONTESTANTS, type Bundles, type ContestantName } from '../harness/buildBundles';
import type { BenchEnvironment } from '../harness/BenchEnvironment';
import type { S3Activity } from '../child/messages';
import { activityBetween } from '../harness/S3ServerProcess';
import { closeContestants, startContestants, succeeded } from '../harness/startContestants';
import { MiB, median } from '../harness/stats';
import { isAwsToFeishu } from '../network/NetworkProfile';
import { ratio, type Figure } from './Figure';
import { SMALL_BYTES, type SizePoint } from './smallImage';

/** The sizes the results table names; others (5 and 50 MiB) feed the chart and the cost model. */
export const TABLE_SIZES = [16 * MiB, 64 * MiB, 256 * MiB];

export interface LargeImageResults {
  figures: Figure[];
  points: Record<ContestantName, SizePoint[]>;
}

/**
 * Large images, warm, median of `runs`, and the memory each takes: for every size a fresh
 * process per contestant loads its bundle and answers two small images (warm-up); its RSS
 * just before the first large image is the idle RSS, and the highest RSS during the large
 * ones, less that, is the memory the image cost. Contestants take turns in every round.
 */
export async function largeImageFigures(
  bundles: Bundles,
  environment: BenchEnvironment,
  sizes: readonly number[],
  runs: number,
): Promise<LargeImageResults> {
  const points: Record<ContestantName, SizePoint[]> = { ours: [], baseline: [], floor: [] };
  for (const [index, bytes] of sizes.entries()) {
    const contestants = await startContestants(bundles, environment, 'imImage');
    try {
      // Keys of their own, so that the warm-up downloads and stores (a stored one would answer from S3).
      for (const name of CONTESTANTS) {
        for (let j = 1; j <= 2; j += 1)
          succeeded(
            await contestants[name].invoke({ imageKey: `big-${SMALL_BYTES - 100 - 10 * index - j}` }),
            name,
            'warm-up',
          );
      }
      const durations: Record<ContestantName, number[]> = { ours: [], baseline: [], floor: [] };
      const cpu: Record<ContestantName, number[]> = { ours: [], baseline: [], floor: [] };
      const peak: Record<ContestantName, number> = { ours: 0, baseline: 0, floor: 0 };
      const peakHeap: Record<ContestantName, number> = { ours: 0, baseline: 0, floor: 0 };
      const peakBuffers: Record<ContestantName, number> = { ours: 0, baseline: 0, floor: 0 };
      const idle: Partial<Record<ContestantName, number>> = {};
      const s3: Partial<Record<ContestantName, S3Activity>> = {};
      // Fresh keys of `bytes` or a few bytes less, never more: 5 MiB + 1 byte would take the multipart path.
      for (let round = 0; round < runs; round += 1) {
        for (const name of CONTESTANTS) {
          const before = round === 0 ? await environment.s3.activity() : undefined;
          const result = succeeded(
            await contestants[name].invoke({ imageKey: `big-${bytes - round}` }, { watchMemory: true }),
            name,
            `${bytes} bytes`,
          );
          if (before) s3[name] = activityBetween(before, await environment.s3.activity());
          idle[name] ??= result.rssBeforeBytes;
          peak[name] = Math.max(peak[name], result.peakRssBytes);
          peakHeap[name] = Math.max(peakHeap[name], result.peakHeapUsedBytes ?? 0);
          peakBuffers[name] = Math.max(peakBuffers[name], result.peakArrayBuffersBytes ?? 0);
          durations[name].push(result.durationMs);
          cpu[name].push(result.cpuMs);
        }
      }
      for (const name of CONTESTANTS) {
        points[name].push({
          bytes,
          medianMs: median(durations[name]),
          medianCpuMs: median(cpu[name]),
          idleRssBytes: idle[name],
          peakAboveIdleBytes: Math.max(0, peak[name] - (idle[name] ?? 0)),
          peakHeapUsedBytes: peakHeap[name],
          peakArrayBuffersBytes: peakBuffers[name],
          s3: s3[name] ?? { requests: {}, serverMs: {} },
        });
      }
    } finally {
      await closeContestants(contestants);
    }
  }
  return { figures: figuresOf(points, runs, isAwsToFeishu(environment.network) ? 1.05 : 1.1), points };
}

/** The table's figures from the points measured; `withinFloor`: the goal, ours at most that many times the floor. */
function figuresOf(points: Record<ContestantName, SizePoint[]>, runs: number, withinFloor: number): Figure[] {
  const at = (name: ContestantName, bytes: number): SizePoint | undefined =>
    points[name].find((point) => point.bytes === bytes);
  const figures: Figure[] = [];
  for (const bytes of TABLE_SIZES) {
    const [ours, baseline, floor] = CONTESTANTS.map((name) => at(name, bytes)) as [
      SizePoint | undefined,
      SizePoint | undefined,
      SizePoint | undefined,
    ];
    if (!ours || !baseline || !floor) continue;
    const size = `${bytes / MiB} MiB`;
    figures.push({
      id: `large${bytes / MiB}`,
      figure: `large image ${size}`,
      unit: 'ms',
      ours: ours.medianMs,
      baseline: baseline.medianMs,
      floor: floor.medianMs,
      ratios: {
        'ours/baseline': ratio(ours.medianMs, baseline.medianMs),
        'ours/floor': ratio(ours.medianMs, floor.medianMs),
      },
      goal: `ours ≤ ${withinFloor}× the floor`,
      met: ours.medianMs <= withinFloor * floor.medianMs,
      details: {
        runs,
        medianCpuMs: { ours: ours.medianCpuMs, baseline: baseline.medianCpuMs, floor: floor.medianCpuMs },
        s3PerImage: { ours: ours.s3, baseline: baseline.s3, floor: floor.s3 },
      },
    });
  }
  for (const bytes of TABLE_SIZES) {
    const [ours, baseline, floor] = CONTESTANTS.map((name) => at(name, bytes)) as [
      SizePoint | undefined,
      SizePoint | undefined,
      SizePoint | undefined,
    ];
    if (!ours || !baseline || !floor) continue;
    const mib = (point: SizePoint): number => Math.round(((point.peakAboveIdleBytes ?? 0) / MiB) * 10) / 10;
    figures.push({
      id: `memory${bytes / MiB}`,
      figure: `memory, ${bytes / MiB} MiB image (peak RSS above idle)`,
      unit: 'MiB',
      ours: mib(ours),
      baseline: mib(baseline),
      floor: mib(floor),
      ratios: { 'ours/baseline': ratio(mib(ours), mib(baseline)) },
      goal: 'ours ≤ 64 MiB whatever the size',
      met: mib(ours) <= 64,
      details: {
        idleRssMiB: {
          ours: (ours.idleRssBytes ?? 0) / MiB,
          baseline: (baseline.idleRssBytes ?? 0) / MiB,
          floor: (floor.idleRssBytes ?? 0) / MiB,
        },
        peakHeapUsedMiB: {
          ours: (ours.peakHeapUsedBytes ?? 0) / MiB,
          baseline: (baseline.peakHeapUsedBytes ?? 0) / MiB,
          floor: (floor.peakHeapUsedBytes ?? 0) / MiB,
        },
        peakBuffersMiB: {
          ours: (ours.peakArrayBuffersBytes ?? 0) / MiB,
          baseline: (baseline.peakArrayBuffersBytes ?? 0) / MiB,
          floor: (floor.peakArrayBuffersBytes ?? 0) / MiB,
        },
      },
    });
  }
  return figures;
}
