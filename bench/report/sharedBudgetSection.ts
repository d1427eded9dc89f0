import type { Figure } from '../figures/Figure';
import { formatTable } from './formatTable';
import { replaceResults } from './resultsSection';

/** What `npm run bench:budget` saves in results/shared-budget.json. */
export interface SavedSharedBudget {
  measuredAt: string;
  machine: { node: string; cpus: number; cpuModel: string; platform: string };
  figures: Figure[];
}

/** The markers around the shared budget's part of bench/README.md. */
export const SHARED_BUDGET_MARKERS = {
  start: '<!-- bench:shared-budget:start -->',
  end: '<!-- bench:shared-budget:end -->',
} as const;

/**
 * The text `npm run bench:budget` and `npm run bench:report` write between the shared budget's
 * markers of bench/README.md: when and where it measured, and its table.
 *
 * @example
 * const section = sharedBudgetSection(JSON.parse(readFileSync('bench/results/shared-budget.json', 'utf8')));
 */
export function sharedBudgetSection(saved: SavedSharedBudget): string {
  const { machine } = saved;
  const where = `${machine.cpus} × ${machine.cpuModel} (${machine.platform}), Node ${machine.node}`;
  return [
    '<!-- Written by `npm run bench:budget` and `npm run bench:report` from results/shared-budget.json. -->',
    `Measured ${saved.measuredAt} on ${where}, ours built by esbuild.`,
    '',
    formatTable(saved.figures),
  ].join('\n');
}

/** `document` with the shared budget's section replaced by the one `saved` gives. */
export function replaceSharedBudget(document: string, saved: SavedSharedBudget): string {
  return replaceResults(document, sharedBudgetSection(saved), SHARED_BUDGET_MARKERS);
}
