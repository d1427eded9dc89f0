import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from '../runBench';
import type { CostLine } from './costModel';
import { renderChart } from './renderChart';

/**
 * The files a run writes into `directory`: latest.json (the results, the cost model and the
 * memory size it priced) and latency-memory.svg.
 *
 * @example
 * writeResults('bench/results', results, costModel(results.series, 512), 512);
 */
export function writeResults(
  directory: string,
  results: BenchResults,
  costModel: readonly CostLine[],
  memoryMb: number,
): { json: string; svg: string } {
  mkdirSync(directory, { recursive: true });
  const json = join(directory, 'latest.json');
  const svg = join(directory, 'latency-memory.svg');
  writeFileSync(json, `${JSON.stringify({ ...results, costModel, memoryMb }, null, 2)}\n`);
  writeFileSync(svg, renderChart(results.seriesByProfile ?? { loopback: results.series }, results.measuredAt));
  return { json, svg };
}
