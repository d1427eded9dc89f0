/**
 * `npm run bench:report`: rewrites the results part of bench/README.md from
 * bench/results/latest.json without measuring anything (a full `npm run bench` does the same
 * after each run).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SavedResults } from './report/resultsSection';
import { writeBenchReadme } from './report/writeBenchReadme';

const bench = join(__dirname, '..', 'bench');
const saved = JSON.parse(readFileSync(join(bench, 'results', 'latest.json'), 'utf8')) as SavedResults;
writeBenchReadme(join(bench, 'README.md'), saved);
console.log(`bench/README.md: results of ${saved.measuredAt}`);
