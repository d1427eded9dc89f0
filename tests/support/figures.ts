import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where test runs leave their figures (faults survived, inputs tried, latencies): see docs/testing.md. */
export const FIGURES_DIR = join(__dirname, '..', '..', 'test-results', 'figures');

/**
 * Records figures of the run (faults tried and survived, inputs tried, latencies) under a
 * name, one file per name, so test files running in parallel never write the same file.
 *
 * @example
 * recordFigures('feishu-faults', { tried: 18, survived: 18 });
 */
export function recordFigures(name: string, figures: Record<string, number | string>): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(join(FIGURES_DIR, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

/** Every figure recorded so far, by name. */
export function readFigures(): Record<string, Record<string, number | string>> {
  let names: string[] = [];
  try {
    names = readdirSync(FIGURES_DIR).filter((file) => file.endsWith('.json'));
  } catch {
    return {};
  }
  return Object.fromEntries(
    names.map((file) => [
      file.replace(/\.json$/, ''),
      JSON.parse(readFileSync(join(FIGURES_DIR, file), 'utf8')) as Record<string, number | string>,
    ]),
  );
}
