import type { SizePoint } from '../figures/smallImage';
import { CONTESTANTS, type ContestantName } from '../harness/buildBundles';
import { KiB, MiB } from '../harness/stats';

const COLORS: Record<ContestantName, string> = { ours: '#1b6ac9', baseline: '#d1495b', floor: '#6c757d' };
const PANEL = { width: 430, height: 300, left: 64, right: 32, top: 40, bottom: 48 };

/** One line of a panel: a contestant under one network profile. */
interface Line {
  color: string;
  dashed: boolean;
  points: [number, number][];
}

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

/** One panel: a line per contestant and profile over image size (log scale), and an optional goal line. */
function panel(
  x0: number,
  title: string,
  yLabel: string,
  lines: readonly Line[],
  yLog: boolean,
  goal?: { y: number; label: string },
): string {
  const all = lines.flatMap((line) => line.points);
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
  for (const line of lines) {
    const points = line.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    if (points.length === 0) continue;
    const dash = line.dashed ? ' stroke-dasharray="6,3"' : '';
    parts.push(`<polyline fill="none" stroke="${line.color}" stroke-width="2"${dash} points="${points.join(' ')}"/>`);
    for (const point of points) {
      const [cx, cy] = point.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${line.color}"/>`);
    }
  }
  return parts.join('\n  ');
}

/** Every contestant's line under every profile: the first profile's solid, the others' dashed. */
function linesOf(
  seriesByProfile: Record<string, Record<ContestantName, SizePoint[]>>,
  value: (point: SizePoint) => number | undefined,
): Line[] {
  return Object.values(seriesByProfile).flatMap((series, index) =>
    CONTESTANTS.map((name) => ({
      color: COLORS[name],
      dashed: index > 0,
      points: series[name].flatMap((point): [number, number][] => {
        const y = value(point);
        return y === undefined ? [] : [[point.bytes, y]];
      }),
    })),
  );
}

/**
 * The chart of bench/README.md: median latency (left) and peak memory above idle (right) against
 * image size, one line per contestant and network profile (the first solid, the others dashed).
 * Plain SVG, written by hand.
 *
 * @example
 * writeFileSync('bench/results/latency-memory.svg', renderChart(results.seriesByProfile, results.measuredAt));
 */
export function renderChart(
  seriesByProfile: Record<string, Record<ContestantName, SizePoint[]>>,
  measuredAt: string,
): string {
  const latency = linesOf(seriesByProfile, (point) => point.medianMs);
  const memory = linesOf(seriesByProfile, (point) =>
    point.peakAboveIdleBytes === undefined ? undefined : point.peakAboveIdleBytes / MiB,
  );
  const width = PANEL.width * 2;
  const height = PANEL.height + 44;
  const legend = CONTESTANTS.map(
    (name, i) =>
      `<rect x="${PANEL.left + i * 110}" y="${PANEL.height + 22}" width="14" height="4" fill="${COLORS[name]}"/>` +
      `<text x="${PANEL.left + i * 110 + 20}" y="${PANEL.height + 28}">${name}</text>`,
  ).join('');
  const profiles = Object.keys(seriesByProfile);
  const styles = profiles.map((name, i) => `${escapeXml(name)} ${i === 0 ? 'solid' : 'dashed'}`).join(', ');
  const measured = escapeXml(measuredAt);
  const latencyPanel = panel(0, 'median latency, warm (ms, log scale)', 'ms', latency, true);
  const memoryGoal = { y: 64, label: 'goal for ours: ≤ 64 MiB' };
  const memoryPanel = panel(PANEL.width, 'peak RSS above idle (MiB)', 'MiB', memory, false, memoryGoal);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      'font-family="sans-serif" font-size="12">',
    `  <title>Latency and peak memory against image size: ours, baseline, floor; ${styles} ` +
      `(measured ${measured})</title>`,
    `  <rect width="${width}" height="${height}" fill="#fff"/>`,
    `  ${latencyPanel}`,
    `  ${memoryPanel}`,
    `  ${legend}`,
    `  <text x="${PANEL.left + 340}" y="${PANEL.height + 28}" font-size="11">${styles}</text>`,
    `  <text x="${width - 8}" y="${PANEL.height + 28}" text-anchor="end" font-size="10" fill="#666">${measured}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
