import type { SizePoint } from '../figures/smallImage';
import type { ContestantName } from '../harness/buildBundles';
import { KiB, MiB } from '../harness/stats';

/**
 * The prices the cost model assumes: AWS list prices for us-east-1 (Lambda on arm64, S3
 * Standard) as published in 2025, assumed unchanged on the date below. Check them before use.
 */
export const PRICES = {
  asOf: '2026-11-21',
  region: 'us-east-1',
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  s3PutCopyPostPer1000: 0.005,
  s3GetHeadPer1000: 0.0004,
  s3StandardPerGbMonth: 0.023,
} as const;

/** S3 operations billed at the PUT, COPY, POST, LIST rate. */
const PUT_CLASS = ['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'CopyObject'];
/** Billed at the GET rate; each image's presigned URL is also fetched once by its caller. */
const GET_CLASS = ['HeadObject', 'GetObject'];

/** The cost of storing 1,000 images of one size with one contestant. */
export interface CostLine {
  contestant: ContestantName;
  bytes: number;
  durationMs: number;
  cpuMs: number;
  gbSeconds: number;
  lambdaUsd: number;
  s3PutRequests: number;
  s3GetRequests: number;
  s3RequestsUsd: number;
  storageUsdPerMonth: number;
  totalUsd: number;
}

/** The sizes bench/README.md prices: 100 KiB, 5 MiB and 50 MiB. */
export const COST_SIZES = [100 * KiB, 5 * MiB, 50 * MiB];

const sum = (counts: Record<string, number>, names: readonly string[]): number =>
  names.reduce((total, name) => total + (counts[name] ?? 0), 0);

/**
 * Prices 1,000 images per size from the measured median durations and S3 requests: Lambda
 * GB-seconds at `memoryMb`, Lambda requests, S3 requests (plus one GET of each presigned URL)
 * and a month of storage.
 *
 * @example
 * costModel(results.series, 512);
 */
export function costModel(series: Record<ContestantName, SizePoint[]>, memoryMb: number): CostLine[] {
  const lines: CostLine[] = [];
  for (const bytes of COST_SIZES) {
    for (const contestant of ['ours', 'baseline'] as const) {
      const point = series[contestant].find((p) => p.bytes === bytes);
      if (!point) continue;
      const gbSeconds = (Math.ceil(point.medianMs) / 1000) * (memoryMb / 1024) * 1000;
      const lambdaUsd = gbSeconds * PRICES.lambdaArmPerGbSecond + (1000 / 1e6) * PRICES.lambdaPerMillionRequests;
      const s3PutRequests = sum(point.s3.requests, PUT_CLASS) * 1000;
      const s3GetRequests = (sum(point.s3.requests, GET_CLASS) + 1) * 1000;
      const s3RequestsUsd =
        (s3PutRequests / 1000) * PRICES.s3PutCopyPostPer1000 + (s3GetRequests / 1000) * PRICES.s3GetHeadPer1000;
      const storageUsdPerMonth = ((bytes * 1000) / 1024 ** 3) * PRICES.s3StandardPerGbMonth;
      lines.push({
        contestant,
        bytes,
        durationMs: point.medianMs,
        cpuMs: point.medianCpuMs,
        gbSeconds,
        lambdaUsd,
        s3PutRequests,
        s3GetRequests,
        s3RequestsUsd,
        storageUsdPerMonth,
        totalUsd: lambdaUsd + s3RequestsUsd + storageUsdPerMonth,
      });
    }
  }
  return lines;
}

/** The cost model as a Markdown table. */
export function formatCostModel(lines: readonly CostLine[], memoryMb: number): string {
  const usd = (value: number): string => `$${value < 0.01 ? value.toFixed(5) : value.toFixed(4)}`;
  const size = (bytes: number): string => (bytes < MiB ? `${bytes / KiB} KiB` : `${bytes / MiB} MiB`);
  const header = [
    '1,000 images of',
    'contestant',
    'median duration (CPU)',
    `GB-s at ${memoryMb} MB`,
    'Lambda (compute + requests)',
    'S3 PUT-class / GET-class requests',
    'S3 requests',
    'storage, per month',
    'total (first month)',
  ];
  const rows = lines.map((line) => [
    size(line.bytes),
    line.contestant,
    `${line.durationMs.toFixed(1)} ms (${line.cpuMs.toFixed(1)} ms)`,
    line.gbSeconds.toFixed(1),
    usd(line.lambdaUsd),
    `${line.s3PutRequests.toLocaleString('en-US')} / ${line.s3GetRequests.toLocaleString('en-US')}`,
    usd(line.s3RequestsUsd),
    usd(line.storageUsdPerMonth),
    usd(line.totalUsd),
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
