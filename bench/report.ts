/**
 * `npm run bench:report`: rewrites the results part of bench/README.md from
 * bench/results/latest.json, and its shared budget's part from bench/results/shared-budget.json
 * (and the figures before the even pacing beside them),
 * without measuring anything (a full `npm run bench` and `npm run bench:budget` do the same
 * after each run).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SavedResults } from './report/resultsSection';
import { BEFORE_PACING_FILE, replaceSharedBudget, type SavedSharedBudget } from './report/sharedBudgetSection';
import { writeBenchReadme } from './report/writeBenchReadme';

const bench = join(__dirname, '..', 'bench');
const saved = JSON.parse(readFileSync(join(bench, 'results', 'latest.json'), 'utf8')) as SavedResults;
writeBenchReadme(join(bench, 'README.md'), saved);
console.log(`bench/README.md: results of ${saved.measuredAt}`);
const readme = join(bench, 'README.md');
const budget = JSON.parse(readFileSync(join(bench, 'results', 'shared-budget.json'), 'utf8')) as SavedSharedBudget;
const before = JSON.parse(readFileSync(join(bench, 'results', BEFORE_PACING_FILE), 'utf8')) as SavedSharedBudget;
writeFileSync(readme, replaceSharedBudget(readFileSync(readme, 'utf8'), budget, before));
console.log(`bench/README.md: shared budget of ${budget.measuredAt}`);
