/** A contestant's value for a figure: a number in the figure's unit, or a text such as "n/a". */
export type FigureValue = number | string | null;

/** One row of the results table. */
export interface Figure {
  id: string;
  /** The network it was measured under (NetworkProfile's name); none when the network plays no part (sizes). */
  profile?: string;
  /** The figure's name, as the results table shows it. */
  figure: string;
  unit: string;
  ours: FigureValue;
  baseline: FigureValue;
  floor: FigureValue;
  /** The ratios the goal is about, e.g. `{ "ours/baseline": 0.08 }`. */
  ratios: Record<string, number>;
  goal: string;
  /** Whether the goal is met; null when it could not be measured. */
  met: boolean | null;
  /** What else was measured (per-function sizes, request counts, …) and any remark. */
  details?: Record<string, unknown>;
  note?: string;
}

/** a / b, rounded to 3 decimals. */
export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 1000) / 1000;
}
