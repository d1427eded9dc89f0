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
 * The figures with each id's rows together, so that a figure measured under several network
 * profiles reads side by side: in the order ids first appear, each id's rows in the order measured.
 */
export function groupedByFigure(figures: readonly Figure[]): Figure[] {
  const ids = [...new Set(figures.map((figure) => figure.id))];
  return ids.flatMap((id) => figures.filter((figure) => figure.id === id));
}

/**
 * The results as one Markdown table: figure, network, ours, baseline, floor, ratios, goal, met?;
 * a figure's rows under each network profile one below the other (no network column when no
 * figure names one).
 *
 * @example
 * console.log(formatTable(results.figures));
 */
export function formatTable(figures: readonly Figure[]): string {
  // Results measured under no profile (the shared budget's, runs before profiles) need no network column.
  const networks = figures.some((figure) => figure.profile !== undefined);
  const rows = groupedByFigure(figures).map((figure) => [
    figure.figure,
    ...(networks ? [figure.profile ?? '—'] : []),
    formatValue(figure.ours, figure.unit),
    formatValue(figure.baseline, figure.unit),
    formatValue(figure.floor, figure.unit),
    Object.entries(figure.ratios)
      .map(([name, value]) => `${name} ${value}`)
      .join('; ') || '—',
    figure.goal,
    figure.met === null ? '—' : figure.met ? 'yes' : '**no**',
  ]);
  const header = ['figure', ...(networks ? ['network'] : []), 'ours', 'baseline', 'floor', 'ratios', 'goal', 'met?'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
