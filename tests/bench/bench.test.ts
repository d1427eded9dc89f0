import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchOptions } from '../../bench/BenchOptions';
import type { Figure } from '../../bench/figures/Figure';
import { BUNDLE_EXTENSION, filesLoadedBy, filesShippedWith } from '../../bench/harness/buildBundles';
import { costModel } from '../../bench/report/costModel';
import { formatTable } from '../../bench/report/formatTable';
import { writeResults } from '../../bench/report/writeResults';
import { runBench, type BenchResults } from '../../bench/runBench';
import { ENDPOINTS } from '../../lib/endpoints';

const root = join(__dirname, '..', '..');

/** Whether every tag of an XML text is closed in order (enough to tell a broken SVG). */
function tagsBalance(xml: string): boolean {
  const open: string[] = [];
  for (const [tag, closing, name, selfClosing] of xml.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (tag.startsWith('<?')) continue;
    if (selfClosing) continue;
    if (!closing) open.push(name!);
    else if (open.pop() !== name) return false;
  }
  return open.length === 0;
}

describe('Benchmark: npm run bench -- --quick, its cheap and deterministic parts', () => {
  const outDir = join(root, '.build', `bench-test-${process.pid}`);
  const resultsDir = mkdtempSync(join(tmpdir(), 'feishu-image-mirror-bench-results-'));
  let results: BenchResults;
  let figure: (id: string, profile?: string) => Figure;

  beforeAll(async () => {
    // Ours built by esbuild with the functions' own settings (byte-identical to the package),
    // so that this test never writes .serverless/ while other tests package.
    results = await runBench(
      root,
      outDir,
      benchOptions(['--quick', '--skip-throughput', '--ours=esbuild']),
      () => undefined,
    );
    figure = (id, profile = 'loopback') => {
      const found = results.figures.find((f) => f.id === id && (f.profile ?? 'loopback') === profile);
      if (!found) throw new Error(`no figure ${id} under ${profile}`);
      return found;
    };
  }, 420_000);

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(resultsDir, { recursive: true, force: true });
  });

  it('measures every network figure under both profiles, the shaped one slower by at least its delays', () => {
    // Assess: every figure but the sizes under aws-to-feishu and loopback; the proxy's cost under its own.
    const profiles = (id: string) => results.figures.filter((f) => f.id === id).map((f) => f.profile);
    for (const id of ['coldStartFirstAnswer', 'smallMiss', 'cacheHit', 'large16', 'tokens', 'docxDocument'])
      expect({ id, profiles: profiles(id) }).toEqual({ id, profiles: ['aws-to-feishu', 'loopback'] });
    expect(profiles('bundleSize')).toEqual([undefined]);
    // A warm miss downloads from Feishu (60 ms round trip) and stores in S3 (4 ms): at least 64 ms, whoever runs it.
    const shaped = figure('smallMiss', 'aws-to-feishu');
    for (const contestant of ['ours', 'baseline', 'floor'] as const)
      expect(shaped[contestant] as number).toBeGreaterThanOrEqual(64);
    expect((shaped.floor as number) / (figure('smallMiss').floor as number)).toBeGreaterThan(2);
    // A hit under the shaped network asks S3 only: at least its 4 ms round trip.
    expect(figure('cacheHit', 'aws-to-feishu').ours as number).toBeGreaterThanOrEqual(4);
    expect(figure('cacheHit', 'aws-to-feishu').details).toMatchObject({ feishuCalls: { ours: 0 } });
  });

  it("measures the proxy's own cost, through it at 0 ms against direct", () => {
    // Assess: a ratio for ours and the floor, each a time through the proxy over the direct one.
    for (const id of ['proxyCostSmall', 'proxyCostLarge']) {
      const cost = figure(id, 'proxy at 0 ms');
      expect(Object.keys(cost.ratios)).toEqual(['ours proxied/direct', 'floor proxied/direct']);
      for (const value of Object.values(cost.ratios)) expect(value).toBeGreaterThan(0.5);
    }
  });

  it('mirrors every image of a 20-image docx document within the rate limit, as the baseline and the floor do', () => {
    // Assess
    for (const profile of ['aws-to-feishu', 'loopback']) {
      const document = figure('docxDocument', profile);
      expect(document.details).toMatchObject({ failures: { ours: [], baseline: [], floor: [] } });
      expect(document.details).toMatchObject({ rateLimitAnswers: { ours: 0 } });
      // Five document media a second: 20 images span four windows of a second, at least two seconds whatever the phase.
      for (const contestant of ['ours', 'baseline', 'floor'] as const)
        expect(document[contestant] as number).toBeGreaterThanOrEqual(2000);
    }
  });

  it('makes one token request for 100 concurrent cold requests, where the baseline makes more', () => {
    // Assess
    const tokens = figure('tokens');
    expect(tokens.ours).toBe(1);
    expect(tokens.baseline).toBeGreaterThan(1);
    expect(tokens.details).toMatchObject({ failedInvocations: { ours: 0, baseline: 0 } });
  });

  it('answers a stored immutable image with no Feishu call, where the baseline downloads again', () => {
    // Assess
    const hit = figure('cacheHit');
    const runs = results.options.cacheHitRuns;
    expect(hit.details).toMatchObject({ feishuCalls: { ours: 0, baseline: runs } });
    expect(hit.details).toMatchObject({ s3AllHits: { ours: { requests: { HeadObject: runs } } } });
  });

  it('measures real misses: every small image was downloaded and stored, never answered from the store', () => {
    // Assess
    const miss = figure('smallMiss');
    expect(miss.details).toMatchObject({ oursAnsweredFromCache: 0 });
    expect(miss.details).toMatchObject({
      s3PerImage: { ours: { requests: { HeadObject: 1, PutObject: 1 } }, floor: { requests: { PutObject: 1 } } },
    });
  });

  it('computes the bundle-size ratios, what a cold start loads within what is shipped, ours the smaller', () => {
    // Assess
    const loaded = figure('bundleSize');
    const shipped = figure('bundleShipped');
    for (const size of [loaded, shipped]) {
      expect(typeof size.ours).toBe('number');
      expect(size.ours as number).toBeLessThan(size.baseline as number);
      expect(size.ratios['ours/baseline']).toBeCloseTo((size.ours as number) / (size.baseline as number), 2);
    }
    expect(loaded.ours as number).toBeLessThanOrEqual(shipped.ours as number);
    expect(loaded.baseline as number).toBeLessThanOrEqual(shipped.baseline as number);
  });

  it('leaves SSM, DynamoDB and the credential providers Lambda never uses out of what a cold start loads', () => {
    // Arrange: each client's service name, which only its own code holds.
    const unusedAtColdStart = [
      'AmazonSSM',
      'DynamoDB_20120810',
      'AWSSecurityTokenServiceV20110615',
      'AWSSSOOIDCService',
    ];
    for (const { functionName } of ENDPOINTS) {
      const entry = join(outDir, 'ours', functionName, 'functions', `${functionName}${BUNDLE_EXTENSION}`);

      // Act
      const text = (files: string[]) => files.map((file) => readFileSync(file, 'utf8')).join('\n');
      const loaded = text(filesLoadedBy(entry));
      const shipped = text(filesShippedWith(entry));

      // Assess
      for (const name of unusedAtColdStart) {
        expect({ functionName, name, loaded: loaded.includes(name) }).toEqual({ functionName, name, loaded: false });
        expect({ functionName, name, shipped: shipped.includes(name) }).toEqual({ functionName, name, shipped: true });
      }
    }
  });

  it('sees the baseline hold the whole large image in memory', () => {
    // Assess
    const memory = figure('memory16');
    expect(memory.baseline as number).toBeGreaterThanOrEqual(16);
    expect(typeof memory.ours).toBe('number');
  });

  it('writes latest.json and a well-formed SVG with a line per contestant in each panel', () => {
    // Act
    const written = writeResults(resultsDir, results, costModel(results.series, 512), 512);

    // Assess
    const json = JSON.parse(readFileSync(written.json, 'utf8')) as BenchResults & { costModel: unknown[] };
    expect(json.figures.map((f) => f.id)).toEqual(results.figures.map((f) => f.id));
    expect(json.costModel.length).toBeGreaterThan(0);
    const svg = readFileSync(written.svg, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(tagsBalance(svg)).toBe(true);
    // A line per contestant in each panel, under each of the two profiles.
    expect(svg.match(/<polyline /g)).toHaveLength(12);
  });

  it('prints one table row per figure, with the three contestants and the verdict', () => {
    // Act
    const table = formatTable(results.figures).split('\n');

    // Assess
    expect(table).toHaveLength(results.figures.length + 2);
    expect(table[0]).toBe('| figure | network | ours | baseline | floor | ratios | goal | met? |');
    expect(table.slice(2).every((row) => /\| (yes|\*\*no\*\*|—) \|$/.test(row))).toBe(true);
  });
});
