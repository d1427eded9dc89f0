import type { Figure, FigureValue } from '../figures/Figure';

function formatValue(value: FigureValue, unit: string): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return '—';
  if (unit === 'bytes') return `${value.toLocaleString('en-US')} B`;
  // Counts read best bare: the figure's name says what is counted.
  if (unit === 'requests') return value.toLocaleString('en-US');
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/**
 * The results as one Markdown table: figure, ours, baseline, floor, ratios, goal, met?
 *
 * @example
 * console.log(formatTable(results.figures));
 */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => [
    figure.figure,
    formatValue(figure.ours, figure.unit),
    formatValue(figure.baseline, figure.unit),
    formatValue(figure.floor, figure.unit),
    Object.entries(figure.ratios)
      .map(([name, value]) => `${name} ${value}`)
      .join('; ') || '—',
    figure.goal,
    figure.met === null ? '—' : figure.met ? 'yes' : '**no**',
  ]);
  const header = ['figure', 'ours', 'baseline', 'floor', 'ratios', 'goal', 'met?'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
