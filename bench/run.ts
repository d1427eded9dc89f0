/**
 * `npm run bench [-- --quick] [-- --skip-throughput]`: builds ours, the baseline and the floor
 * with the same esbuild settings, measures every figure of the benchmark, prints the table and
 * the cost model, writes bench/results/latest.json and latency-memory.svg, and rewrites the
 * results part of bench/README.md from them. A quick run writes its files under
 * bench/results/tmp/ instead and leaves the README alone, so that only full runs are committed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchOptions } from './BenchOptions';
import { costModel, formatCostModel, PRICES } from './report/costModel';
import { formatTable } from './report/formatTable';
import type { SavedResults } from './report/resultsSection';
import { writeBenchReadme } from './report/writeBenchReadme';
import { writeResults } from './report/writeResults';
import { runBench } from './runBench';

const root = join(__dirname, '..');

/** The functions' memory size, as serverless.yml configures it. */
function configuredMemoryMb(): number {
  const match = /^\s+memorySize:\s*(\d+)/m.exec(readFileSync(join(root, 'serverless.yml'), 'utf8'));
  return Number(match?.[1] ?? 1024);
}

async function main(): Promise<void> {
  const options = benchOptions(process.argv.slice(2));
  const results = await runBench(root, join(root, '.build', 'bench'), options, (line) => console.error(line));
  const memoryMb = configuredMemoryMb();
  const cost = costModel(results.series, memoryMb);
  const written = writeResults(
    join(root, 'bench', 'results', ...(options.quick ? ['tmp'] : [])),
    results,
    cost,
    memoryMb,
  );
  // Read back from latest.json, so the README shows exactly what `npm run bench:report` would.
  if (!options.quick) {
    writeBenchReadme(join(root, 'bench', 'README.md'), JSON.parse(readFileSync(written.json, 'utf8')) as SavedResults);
  }
  const { machine } = results;
  const quick = options.quick ? ' (quick)' : '';
  console.log(
    `\nMeasured ${results.measuredAt} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}${quick}:\n`,
  );
  console.log(formatTable(results.figures));
  console.log(
    `\nCost per 1,000 images at ${memoryMb} MB (arm64, ${PRICES.region} prices assumed as of ${PRICES.asOf}):\n`,
  );
  console.log(formatCostModel(cost, memoryMb));
  console.log(`\nWritten: ${written.json}, ${written.svg}${options.quick ? '' : ', bench/README.md'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
