import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENDPOINTS } from '../../lib/endpoints';
import { METRIC_DESCRIPTIONS } from '../../lib/metrics/metricDescriptions';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

const NUMBER_WORDS = [
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

/** The documents and code comments a reader takes the product's shape from. */
function describingFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--', '*.md', 'lib', 'functions', 'stack', 'tests/local'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return listed.split('\0').filter((path) => path !== '' && !path.startsWith('tests/integration/fixtures/'));
}

describe('Documents that tell the truth', () => {
  it('counts the functions, routes and endpoints as many as there are, wherever it counts them all', () => {
    // Prepare
    const counted = /\b(?:all|the|every one of the) (\w+) (?:functions|routes|endpoints)\b/gi;

    // Act
    const wrong = describingFiles().flatMap((path) =>
      read(path)
        .split('\n')
        .flatMap((line, index) =>
          [...line.matchAll(counted)]
            .filter(([, word]) => NUMBER_WORDS.includes(word!.toLowerCase()))
            .filter(([, word]) => NUMBER_WORDS.indexOf(word!.toLowerCase()) + 1 !== ENDPOINTS.length)
            .map(([phrase]) => `${path}:${index + 1}: "${phrase}"`),
        ),
    );

    // Assess
    expect(wrong).toEqual([]);
  });

  it('names in the README every port setting npm start reads', () => {
    // Prepare
    const settings = new Set(
      [...read('tests/local/start.ts').matchAll(/\benv\.(\w+_PORT)\b/g)].map(([, name]) => name!),
    );

    // Act
    const unnamed = [...settings].filter((name) => !read('README.md').includes(`\`${name}\``));

    // Assess
    expect(settings.size).toBeGreaterThanOrEqual(4);
    expect(unnamed).toEqual([]);
  });

  it('keeps the README within 300 lines, the rest in docs/', () => {
    // Act
    const lines = read('README.md').split('\n').length;

    // Assess
    expect(lines).toBeLessThanOrEqual(301);
  });

  it('lists in docs/architecture.md every metric as lib/metrics/metricDescriptions.ts describes it', () => {
    // Prepare
    const described = Object.entries(METRIC_DESCRIPTIONS).map(
      ([name, { unit, dimensions, counts }]) =>
        `| ${name} | ${unit} | ${['service', ...dimensions].join(', ')} | ${counts} |`,
    );

    // Act
    const listed = read('docs/architecture.md')
      .split('\n')
      .filter((line) => /^\| [A-Z][A-Za-z]+ \| (Count|Bytes|Milliseconds) \|/.test(line));

    // Assess
    expect(listed).toEqual(described);
  });
});
