/**
 * `npm run bench:budget`: the shared rate budget's figures, on their own because they take
 * minutes of wall-clock time (two runs started on a whole minute each, then one image at a
 * time): 8 environments of im images and 4 of whiteboards at once, with the budget and
 * without it, and the latency of one slot. Writes bench/results/shared-budget.json and the
 * shared budget's part of bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedBudgetFigures } from './figures/sharedBudget';
import { startBenchEnvironment } from './harness/BenchEnvironment';
import { buildBundles } from './harness/buildBundles';
import { machineOf } from './harness/stats';
import { formatTable } from './report/formatTable';
import { BEFORE_PACING_FILE, replaceSharedBudget, type SavedSharedBudget } from './report/sharedBudgetSection';

const root = join(__dirname, '..');
const SLOT_RUNS = 50;

async function main(): Promise<void> {
  console.error('building the functions with esbuild…');
  const bundles = await buildBundles(root, join(root, '.build', 'bench-budget'), 'esbuild');
  const environment = await startBenchEnvironment(bundles.s3ServerProcess);
  try {
    console.error('two runs of 8 × 150 im images and 4 × 150 whiteboards, each on a whole minute…');
    const figures = await sharedBudgetFigures(bundles, environment, randomBytes(4).toString('hex'), SLOT_RUNS);
    const saved: SavedSharedBudget = {
      measuredAt: new Date().toISOString(),
      machine: machineOf(),
      figures,
    };
    const json = join(root, 'bench', 'results', 'shared-budget.json');
    writeFileSync(json, `${JSON.stringify(saved, null, 2)}\n`);
    const readme = join(root, 'bench', 'README.md');
    const before = JSON.parse(
      readFileSync(join(root, 'bench', 'results', BEFORE_PACING_FILE), 'utf8'),
    ) as SavedSharedBudget;
    writeFileSync(readme, replaceSharedBudget(readFileSync(readme, 'utf8'), saved, before));
    console.log(formatTable(figures));
    console.log(`\nWritten: ${json}, bench/README.md`);
  } finally {
    await environment.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
