import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchOptions } from '../../bench/BenchOptions';
import { PRICES } from '../../bench/report/costModel';
import {
  replaceResults,
  RESULTS_END,
  RESULTS_START,
  resultsSection,
  type SavedResults,
} from '../../bench/report/resultsSection';

const root = join(__dirname, '..', '..');

/** A saved run with one figure of each kind of value and one cost line, as latest.json holds them. */
function savedRun(): SavedResults {
  return {
    measuredAt: '2026-12-01T09:51:48.856Z',
    machine: { node: 'v20.20.2', cpus: 2, cpuModel: 'AMD EPYC', platform: 'linux-x64' },
    options: benchOptions([]),
    figures: [
      {
        id: 'bundleSize',
        figure: 'bundle size (largest function)',
        unit: 'bytes',
        ours: 608949,
        baseline: 2316147,
        floor: 3089,
        ratios: { 'ours/baseline': 0.263 },
        goal: 'ours ≤ 1/4 of the baseline',
        met: false,
      },
      {
        id: 'tokens',
        profile: 'aws-to-feishu',
        figure: 'token requests, 100 concurrent cold requests',
        unit: 'requests',
        ours: 1,
        baseline: 100,
        floor: null,
        ratios: {},
        goal: 'ours: 1 (the baseline makes many)',
        met: true,
      },
      {
        id: 'smallMiss',
        profile: 'aws-to-feishu',
        figure: 'small image, cache miss (100 KiB)',
        unit: 'ms',
        ours: 84.5,
        baseline: 80.1,
        floor: 77.2,
        ratios: { 'ours/baseline': 1.055 },
        goal: 'ours ≤ 1.1× the baseline',
        met: true,
      },
      {
        id: 'tokens',
        profile: 'loopback',
        figure: 'token requests, 100 concurrent cold requests',
        unit: 'requests',
        ours: 1,
        baseline: 99,
        floor: null,
        ratios: {},
        goal: 'ours: 1 (the baseline makes many)',
        met: true,
      },
    ],
    series: { ours: [], baseline: [], floor: [] },
    costModel: [
      {
        contestant: 'ours',
        bytes: 102400,
        durationMs: 11.19,
        cpuMs: 6.72,
        gbSeconds: 6,
        lambdaUsd: 0.00028,
        s3PutRequests: 1000,
        s3GetRequests: 2000,
        s3RequestsUsd: 0.0058,
        storageUsdPerMonth: 0.0021934,
        totalUsd: 0.0082734,
      },
    ],
    memoryMb: 512,
  };
}

const EXPECTED_SECTION = [
  '<!-- Written by `npm run bench` and `npm run bench:report` from results/latest.json: do not edit by hand. -->',
  'Measured 2026-12-01T09:51:48.856Z on 2 × AMD EPYC (linux-x64), Node v20.20.2: ' +
    'a full run, ours from `serverless package`. Networks, side by side: ' +
    'aws-to-feishu (Feishu 60 ms RTT and 100 Mbit/s, S3 4 ms RTT and 1 Gbit/s); ' +
    'loopback (Feishu and S3 on loopback, direct).',
  '',
  '| figure | network | ours | baseline | floor | ratios | goal | met? |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  '| bundle size (largest function) | — | 608,949 B | 2,316,147 B | 3,089 B ' +
    '| ours/baseline 0.263 | ours ≤ 1/4 of the baseline | **no** |',
  // One figure's rows together, whatever order they were measured in.
  '| token requests, 100 concurrent cold requests | aws-to-feishu | 1 | 100 | — | — ' +
    '| ours: 1 (the baseline makes many) | yes |',
  '| token requests, 100 concurrent cold requests | loopback | 1 | 99 | — | — ' +
    '| ours: 1 (the baseline makes many) | yes |',
  '| small image, cache miss (100 KiB) | aws-to-feishu | 84.5 ms | 80.1 ms | 77.2 ms | ours/baseline 1.055 ' +
    '| ours ≤ 1.1× the baseline | yes |',
  '',
  '![Median latency and peak memory above idle against image size, for ours, the baseline and the floor, ' +
    'under each network profile](results/latency-memory.svg)',
  '',
  `Cost per 1,000 images at 512 MB on arm64, at ${PRICES.region} list prices assumed as of ${PRICES.asOf}, ` +
    'the durations measured under aws-to-feishu:',
  '',
  '| 1,000 images of | contestant | median duration (CPU) | GB-s at 512 MB | Lambda (compute + requests) ' +
    '| S3 PUT-class / GET-class requests | S3 requests | storage, per month | total (first month) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  '| 100 KiB | ours | 11.2 ms (6.7 ms) | 6.0 | $0.00028 | 1,000 / 2,000 | $0.00580 | $0.00219 | $0.00827 |',
].join('\n');

describe('Bench report: the results part of bench/README.md', () => {
  it('writes the run, the results table, the chart and the cost model of the saved results, exactly', () => {
    // Prepare
    const saved = savedRun();

    // Act
    const section = resultsSection(saved);

    // Assess
    expect(section).toBe(EXPECTED_SECTION);
  });

  it('replaces only what stands between the markers, keeping them and every line around them', () => {
    // Prepare
    const document = `# Title\n\nProse.\n\n${RESULTS_START}\n| a stale table |\n${RESULTS_END}\n\nMore prose.\n`;

    // Act
    const written = replaceResults(document, resultsSection(savedRun()));

    // Assess
    expect(written).toBe(`# Title\n\nProse.\n\n${RESULTS_START}\n${EXPECTED_SECTION}\n${RESULTS_END}\n\nMore prose.\n`);
  });

  it('gives the same document when the same results are written again', () => {
    // Prepare
    const once = replaceResults(`${RESULTS_START}\n${RESULTS_END}\n`, resultsSection(savedRun()));

    // Act
    const twice = replaceResults(once, resultsSection(savedRun()));

    // Assess
    expect(twice).toBe(once);
  });

  it('reads the memory size back from the cost model when the saved run does not record it', () => {
    // Prepare
    const { memoryMb: _recorded, ...older } = savedRun();

    // Act
    const section = resultsSection(older);

    // Assess
    expect(section).toBe(EXPECTED_SECTION);
  });

  it.each([
    ['no markers', 'prose only\n'],
    ['only the start marker', `${RESULTS_START}\n`],
    ['the end before the start', `${RESULTS_END}\n${RESULTS_START}\n`],
    ['the start marker twice', `${RESULTS_START}\n${RESULTS_START}\n${RESULTS_END}\n`],
  ])('refuses a document with %s rather than guessing where the results go', (_case, document) => {
    // Act
    const write = () => replaceResults(document, 'results');

    // Assess
    expect(write).toThrow(`the document must hold ${RESULTS_START} and then ${RESULTS_END}, once each`);
  });

  it(
    'finds in the committed bench/README.md exactly what `npm run bench:report` writes ' +
      'from the committed latest.json',
    () => {
      // Prepare
      const readme = readFileSync(join(root, 'bench', 'README.md'), 'utf8');
      const saved = JSON.parse(readFileSync(join(root, 'bench', 'results', 'latest.json'), 'utf8')) as SavedResults;

      // Act
      const rewritten = replaceResults(readme, resultsSection(saved));

      // Assess
      expect(readme).toBe(rewritten);
    },
  );
});
