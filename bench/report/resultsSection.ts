import type { BenchResults } from '../runBench';
import { formatCostModel, PRICES, type CostLine } from './costModel';
import { formatTable } from './formatTable';

/** What a run saves in latest.json: its results, the cost model, and the memory size that model priced. */
export type SavedResults = BenchResults & { costModel: CostLine[]; memoryMb?: number };

/** The markers around the part of bench/README.md that the bench writes; nothing between them is edited by hand. */
export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/**
 * The memory size the cost model priced. Runs before it was recorded are read back from their
 * cost lines, which the model computed as `ceil(medianMs) / 1000 × memoryMb / 1024` per image.
 */
function memoryMbOf(saved: SavedResults): number | undefined {
  if (saved.memoryMb !== undefined) return saved.memoryMb;
  const line = saved.costModel.find((cost) => cost.durationMs > 0);
  return line === undefined ? undefined : Math.round((line.gbSeconds * 1024) / Math.ceil(line.durationMs));
}

/** Which profile's durations the cost model priced, when the run had profiles. */
function pricedProfile(saved: SavedResults): string {
  const first = saved.options.profiles?.[0];
  return first === undefined ? '' : `, the durations measured under ${first.name}`;
}

/** One sentence saying when, where and how much was measured, so a reader can compare runs. */
function describeRun(saved: SavedResults): string {
  const { machine, options } = saved;
  const scope = options.quick
    ? 'a quick run (smaller counts)'
    : options.skipThroughput
      ? 'a full run without the batch throughput'
      : 'a full run';
  const ours = options.ours === 'package' ? 'ours from `serverless package`' : 'ours built by esbuild';
  const where = `${machine.cpus} × ${machine.cpuModel} (${machine.platform}), Node ${machine.node}`;
  const networks = (options.profiles ?? []).map((profile) => `${profile.name} (${profile.description})`);
  const under = networks.length === 0 ? '' : ` Networks, side by side: ${networks.join('; ')}.`;
  return `Measured ${saved.measuredAt} on ${where}: ${scope}, ${ours}.${under}`;
}

/**
 * The text the bench writes between the markers of bench/README.md: when and where it measured,
 * the results table, the chart, and the cost per 1,000 images, all from one saved run.
 *
 * @example
 * const section = resultsSection(JSON.parse(readFileSync('bench/results/latest.json', 'utf8')));
 */
export function resultsSection(saved: SavedResults): string {
  const lines = [
    `<!-- Written by \`npm run bench\` and \`npm run bench:report\` from results/latest.json: do not edit by hand. -->`,
    describeRun(saved),
    '',
    formatTable(saved.figures),
    '',
    '![Median latency and peak memory above idle against image size, for ours, the baseline and the floor, ' +
      'under each network profile]' +
      '(results/latency-memory.svg)',
  ];
  const memoryMb = memoryMbOf(saved);
  if (memoryMb !== undefined && saved.costModel.length > 0) {
    lines.push(
      '',
      `Cost per 1,000 images at ${memoryMb} MB on arm64, at ${PRICES.region} list prices assumed as of ${PRICES.asOf}` +
        `${pricedProfile(saved)}:`,
      '',
      formatCostModel(saved.costModel, memoryMb),
    );
  }
  return lines.join('\n');
}

/**
 * `document` with everything between RESULTS_START and RESULTS_END (or other `markers`)
 * replaced by `section`; the markers and every line outside them stay as they were. Throws
 * when the markers are missing, repeated or out of order, rather than guessing where the
 * results go.
 *
 * @example
 * replaceResults('intro\n<!-- bench:results:start -->\nold\n<!-- bench:results:end -->\n', 'new');
 * // 'intro\n<!-- bench:results:start -->\nnew\n<!-- bench:results:end -->\n'
 */
export function replaceResults(
  document: string,
  section: string,
  markers: { start: string; end: string } = { start: RESULTS_START, end: RESULTS_END },
): string {
  const start = document.indexOf(markers.start);
  const end = document.indexOf(markers.end);
  const once = (marker: string, at: number) => at !== -1 && document.indexOf(marker, at + marker.length) === -1;
  if (!once(markers.start, start) || !once(markers.end, end) || end < start) {
    throw new Error(`the document must hold ${markers.start} and then ${markers.end}, once each`);
  }
  return `${document.slice(0, start + markers.start.length)}\n${section}\n${document.slice(end)}`;
}
