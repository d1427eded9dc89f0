import { cpus } from 'node:os';

/** The median of some numbers (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const MiB = 1024 * 1024;
export const KiB = 1024;

/** The machine a run measured on, as the results name it. */
export function machineOf(): { node: string; cpus: number; cpuModel: string; platform: string } {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    platform: `${process.platform}-${process.arch}`,
  };
}
