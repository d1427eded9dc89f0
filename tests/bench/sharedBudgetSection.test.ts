import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BEFORE_PACING_FILE,
  replaceSharedBudget,
  SHARED_BUDGET_MARKERS,
  sharedBudgetSection,
  type SavedSharedBudget,
} from '../../bench/report/sharedBudgetSection';

const root = join(__dirname, '..', '..');

/** A saved shared-budget run with one pace figure, as results/shared-budget.json holds them. */
const SAVED: SavedSharedBudget = {
  measuredAt: '2026-12-01T13:05:12.000Z',
  machine: { node: 'v20.20.2', cpus: 2, cpuModel: 'AMD EPYC', platform: 'linux-x64' },
  figures: [
    {
      id: 'shared-pace-im',
      figure: "8 environments × 150 im images at once (50/s, 1000/min): Feishu's busiest minute",
      unit: 'calls',
      ours: 974,
      baseline: 1387,
      floor: 1000,
      ratios: { 'ours/limit': 0.974 },
      goal: '≥ 90% of the limit, never over it',
      met: true,
    },
  ],
};

describe('Function: sharedBudgetSection', () => {
  it('writes when and where it measured, and the table of the saved figures', () => {
    // Act
    const section = sharedBudgetSection(SAVED);

    // Assess
    expect(section.split('\n')).toEqual([
      '<!-- Written by `npm run bench:budget` and `npm run bench:report` from results/shared-budget.json. -->',
      'Measured 2026-12-01T13:05:12.000Z on 2 × AMD EPYC (linux-x64), Node v20.20.2, ours built by esbuild.',
      '',
      '| figure | ours | baseline | floor | ratios | goal | met? |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      "| 8 environments × 150 im images at once (50/s, 1000/min): Feishu's busiest minute | 974 calls | " +
        '1387 calls | 1000 calls | ours/limit 0.974 | ≥ 90% of the limit, never over it | yes |',
    ]);
  });

  it('writes the figures from before the even pacing after the new ones, with when and where measured', () => {
    // Prepare
    const before = { ...SAVED, measuredAt: '2026-11-30T09:00:00.000Z' };

    // Act
    const section = sharedBudgetSection(SAVED, before);

    // Assess
    expect(section.startsWith(`${sharedBudgetSection(SAVED)}\n\n`)).toBe(true);
    expect(section.split('\n').slice(7, 10)).toEqual([
      `Before the even pacing, with counters in windows aligned to the clock (results/${BEFORE_PACING_FILE}):`,
      'measured 2026-11-30T09:00:00.000Z on 2 × AMD EPYC (linux-x64), Node v20.20.2, ours built by esbuild.',
      '',
    ]);
  });

  it('replaces only what stands between its own markers', () => {
    // Prepare
    const document = `intro\n${SHARED_BUDGET_MARKERS.start}\nold\n${SHARED_BUDGET_MARKERS.end}\noutro\n`;

    // Act
    const rewritten = replaceSharedBudget(document, SAVED);

    // Assess
    expect(rewritten).toBe(
      `intro\n${SHARED_BUDGET_MARKERS.start}\n${sharedBudgetSection(SAVED)}\n${SHARED_BUDGET_MARKERS.end}\noutro\n`,
    );
  });

  it(
    'finds in the committed bench/README.md exactly what `npm run bench:report` writes ' +
      'from the committed shared-budget.json and the figures before the pacing',
    () => {
      // Prepare
      const readme = readFileSync(join(root, 'bench', 'README.md'), 'utf8');
      const saved = JSON.parse(
        readFileSync(join(root, 'bench', 'results', 'shared-budget.json'), 'utf8'),
      ) as SavedSharedBudget;

      // Act
      const before = JSON.parse(
        readFileSync(join(root, 'bench', 'results', BEFORE_PACING_FILE), 'utf8'),
      ) as SavedSharedBudget;
      const rewritten = replaceSharedBudget(readme, saved, before);

      // Assess
      expect(readme).toBe(rewritten);
    },
  );
});
