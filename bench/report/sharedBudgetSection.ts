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

/** The figures of the counters in windows aligned to the clock, kept as they were before the even pacing. */
export const BEFORE_PACING_FILE = 'shared-budget-aligned-counters.json';

/** Where a run measured: its machine and Node. */
const whereOf = ({ machine }: SavedSharedBudget): string =>
  `${machine.cpus} × ${machine.cpuModel} (${machine.platform}), Node ${machine.node}`;

/**
 * The text `npm run bench:budget` and `npm run bench:report` write between the shared budget's
 * markers of bench/README.md: when and where it measured, and its table; then, given `before`,
 * the same for the figures before the even pacing, to read beside them.
 *
 * @example
 * const section = sharedBudgetSection(JSON.parse(readFileSync('bench/results/shared-budget.json', 'utf8')));
 */
export function sharedBudgetSection(saved: SavedSharedBudget, before?: SavedSharedBudget): string {
  const lines = [
    '<!-- Written by `npm run bench:budget` and `npm run bench:report` from results/shared-budget.json. -->',
    `Measured ${saved.measuredAt} on ${whereOf(saved)}, ours built by esbuild.`,
    '',
    formatTable(saved.figures),
  ];
  if (before === undefined) return lines.join('\n');
  return [
    ...lines,
    '',
    `Before the even pacing, with counters in windows aligned to the clock (results/${BEFORE_PACING_FILE}):`,
    `measured ${before.measuredAt} on ${whereOf(before)}, ours built by esbuild.`,
    '',
    formatTable(before.figures),
  ].join('\n');
}

/** `document` with the shared budget's section replaced by the one `saved` (and `before`) give. */
export function replaceSharedBudget(document: string, saved: SavedSharedBudget, before?: SavedSharedBudget): string {
  return replaceResults(document, sharedBudgetSection(saved, before), SHARED_BUDGET_MARKERS);
}
