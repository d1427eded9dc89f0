import { readFileSync, writeFileSync } from 'node:fs';
import { replaceResults, resultsSection, type SavedResults } from './resultsSection';

/**
 * Rewrites the results part of bench/README.md (between its markers) from a saved run, so the
 * table there is always the one latest.json holds.
 *
 * @example
 * writeBenchReadme('bench/README.md', JSON.parse(readFileSync('bench/results/latest.json', 'utf8')));
 */
export function writeBenchReadme(readmePath: string, saved: SavedResults): void {
  const before = readFileSync(readmePath, 'utf8');
  const after = replaceResults(before, resultsSection(saved));
  if (after !== before) writeFileSync(readmePath, after);
}
