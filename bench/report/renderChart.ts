import type { SizePoint } from '../figures/smallImage';
import { CONTESTANTS, type ContestantName } from '../harness/buildBundles';
import { KiB, MiB } from '../harness/stats';

const COLORS: Record<ContestantName, string> = { ours: '#1b6ac9', baseline: '#d1495b', floor: '#6c757d' };
const PANEL = { width: 430, height: 300, left: 64, right: 32, top: 40, bottom: 48 };

interface Axis {
  min: number;
  max: number;
  log: boolean;
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const sizeLabel = (bytes: number): string =>
  bytes < MiB ? `${Math.round(bytes / KiB)} KiB` : `${Math.round(bytes / MiB)} MiB`;

function scale(axis: Axis, value: number, from: number, to: number): number {
  const [a, b, v] = axis.log
    ? [Math.log10(axis.min), Math.log10(axis.max), Math.log10(value)]
    : [axis.min, axis.max, value];
  return from + ((v - a) / (b - a || 1)) * (to - from);
}

function niceTicks(axis: Axis): number[] {
  if (axis.log) {
    const ticks: number[] = [];
    for (let p = Math.floor(Math.log10(axis.min)); p <= Math.ceil(Math.log10(axis.max)); p += 1) ticks.push(10 ** p);
    return ticks;
  }
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].find((s) => axis.max / s <= 6) ?? 1000;
  return Array.from({ length: Math.floor(axis.max / step) + 1 }, (_, i) => i * step);
}

/** One panel: a line per contestant over image size (log scale), and an optional goal line. */
function panel(
  x0: number,
  title: string,
  yLabel: string,
  lines: Record<ContestantName, [number, number][]>,
  yLog: boolean,
  goal?: { y: number; label: string },
): string {
  const all = CONTESTANTS.flatMap((name) => lines[name]);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y).filter((y) => !yLog || y > 0);
  const xAxis: Axis = { min: Math.min(...xs), max: Math.max(...xs), log: true };
  const yAxis: Axis = yLog
    ? {
        min: 10 ** Math.floor(Math.log10(Math.min(...ys))),
        max: 10 ** Math.ceil(Math.log10(Math.max(...ys))),
        log: true,
      }
    : { min: 0, max: Math.max(1, goal?.y ?? 0, ...ys) * 1.1, log: false };
  const left = x0 + PANEL.left;
  const right = x0 + PANEL.width - PANEL.right;
  const top = PANEL.top;
  const bottom = PANEL.height - PANEL.bottom;
  const px = (x: number): number => scale(xAxis, x, left, right);
  const py = (y: number): number => scale(yAxis, Math.max(y, yAxis.min), bottom, top);
  const parts: string[] = [
    `<text x="${(left + right) / 2}" y="22" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333"/>`,
    `<text transform="translate(${x0 + 16},${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">` +
      `${escapeXml(yLabel)}</text>`,
    `<text x="${(left + right) / 2}" y="${PANEL.height - 2}" text-anchor="middle">image size (log scale)</text>`,
  ];
  let lastLabelAt = Number.NEGATIVE_INFINITY;
  let lowered = false;
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    // Labels of neighbouring sizes (50 and 64 MiB) would overlap: the second goes one line lower.
    lowered = px(x) - lastLabelAt < 36 && !lowered;
    lastLabelAt = px(x);
    const tickX = px(x).toFixed(1);
    parts.push(`<line x1="${tickX}" y1="${bottom}" x2="${tickX}" y2="${bottom + (lowered ? 14 : 4)}" stroke="#333"/>`);
    const labelY = bottom + (lowered ? 27 : 17);
    parts.push(`<text x="${tickX}" y="${labelY}" text-anchor="middle" font-size="10">${sizeLabel(x)}</text>`);
  }
  if (goal) {
    const goalY = py(goal.y);
    const lineY = goalY.toFixed(1);
    const goalLabel = escapeXml(goal.label);
    parts.push(
      `<line x1="${left}" y1="${lineY}" x2="${right}" y2="${lineY}" stroke="#1b6ac9" stroke-dasharray="5,4"/>`,
    );
    parts.push(`<text x="${left + 6}" y="${(goalY - 5).toFixed(1)}" font-size="10" fill="#1b6ac9">${goalLabel}</text>`);
  }
  for (const y of niceTicks(yAxis)) {
    if (y < yAxis.min || y > yAxis.max) continue;
    parts.push(`<line x1="${left}" y1="${py(y).toFixed(1)}" x2="${right}" y2="${py(y).toFixed(1)}" stroke="#ddd"/>`);
    const label = y >= 1 ? y : y.toPrecision(1);
    parts.push(`<text x="${left - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end" font-size="10">${label}</text>`);
  }
  for (const name of CONTESTANTS) {
    const points = lines[name].map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    if (points.length === 0) continue;
    parts.push(`<polyline fill="none" stroke="${COLORS[name]}" stroke-width="2" points="${points.join(' ')}"/>`);
    for (const point of points) {
      const [cx, cy] = point.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${COLORS[name]}"/>`);
    }
  }
  return parts.join('\n  ');
}

/**
 * The chart of bench/README.md: median latency (left) and peak memory above idle (right) against
 * image size, one line per contestant. Plain SVG, written by hand.
 *
 * @example
 * writeFileSync('bench/results/latency-memory.svg', renderChart(results.series, results.measuredAt));
 */
export function renderChart(series: Record<ContestantName, SizePoint[]>, measuredAt: string): string {
  const latency = Object.fromEntries(
    CONTESTANTS.map((name) => [name, series[name].map((p): [number, number] => [p.bytes, p.medianMs])]),
  ) as Record<ContestantName, [number, number][]>;
  const memory = Object.fromEntries(
    CONTESTANTS.map((name) => [
      name,
      series[name]
        .filter((p) => p.peakAboveIdleBytes !== undefined)
        .map((p): [number, number] => [p.bytes, (p.peakAboveIdleBytes ?? 0) / MiB]),
    ]),
  ) as Record<ContestantName, [number, number][]>;
  const width = PANEL.width * 2;
  const height = PANEL.height + 44;
  const legend = CONTESTANTS.map(
    (name, i) =>
      `<rect x="${PANEL.left + i * 130}" y="${PANEL.height + 22}" width="14" height="4" fill="${COLORS[name]}"/>` +
      `<text x="${PANEL.left + i * 130 + 20}" y="${PANEL.height + 28}">${name}</text>`,
  ).join('');
  const measured = escapeXml(measuredAt);
  const latencyPanel = panel(0, 'median latency, warm (ms, log scale)', 'ms', latency, true);
  const memoryGoal = { y: 64, label: 'goal for ours: ≤ 64 MiB' };
  const memoryPanel = panel(PANEL.width, 'peak RSS above idle (MiB)', 'MiB', memory, false, memoryGoal);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      'font-family="sans-serif" font-size="12">',
    `  <title>Latency and peak memory against image size: ours, baseline, floor (measured ${measured})</title>`,
    `  <rect width="${width}" height="${height}" fill="#fff"/>`,
    `  ${latencyPanel}`,
    `  ${memoryPanel}`,
    `  ${legend}`,
    `  <text x="${width - 8}" y="${PANEL.height + 28}" text-anchor="end" font-size="10" fill="#666">${measured}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
