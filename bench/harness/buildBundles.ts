import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { functionBundleOptions } from '../../esbuild.config';
import { ENDPOINTS } from '../../lib/endpoints';

/** The three contestants, in the order every figure lists them. */
export const CONTESTANTS = ['ours', 'baseline', 'floor'] as const;
export type ContestantName = (typeof CONTESTANTS)[number];

/** Where each bundle the bench runs was written. */
export interface Bundles {
  /** Our four functions' bundles, by function name (imImage, …). */
  ours: Record<string, string>;
  baseline: string;
  floor: string;
  /** The baseline's and the floor's docx document handlers, apart so that their image bundles stay as they were. */
  documents: { baseline: string; floor: string };
  /** The bench's own processes (not measured themselves). */
  contestantProcess: string;
  coldStart: string;
  s3ServerProcess: string;
  /** How our bundles were obtained. */
  oursFrom: 'package' | 'esbuild';
}

/**
 * Builds what the bench runs, all with the functions' own esbuild settings (esbuild.config.js).
 * Ours come from `serverless package` (each function's zip, unpacked) unless `ours` is
 * 'esbuild': then from esbuild with the same settings, which gives byte-identical bundles
 * without touching `.serverless/` (the test uses it, beside other tests that package).
 */
export async function buildBundles(root: string, outDir: string, ours: 'package' | 'esbuild'): Promise<Bundles> {
  rmSync(outDir, { recursive: true, force: true });
  const bundle = (entry: string, outdir: string) => buildBundle(join(root, entry), outdir);
  // The bench's own processes. Those that load a handler are ES modules, as Lambda's runtime is
  // (its index.mjs imports the handler).
  const helper = (entry: string, format: 'cjs' | 'esm' = 'cjs'): Promise<string> =>
    buildHelperProcess(
      join(root, entry),
      join(outDir, 'bench', basename(entry).replace(/\.ts$/, format === 'esm' ? '.mjs' : '.js')),
      format,
    );

  const oursBundles: Record<string, string> = {};
  if (ours === 'package') {
    rmSync(join(root, '.esbuild'), { recursive: true, force: true });
    const env = { ...process.env };
    delete env.IMAGE_BUCKET;
    execFileSync(join(root, 'node_modules', '.bin', 'serverless'), ['package'], { cwd: root, env, stdio: 'pipe' });
    for (const { functionName } of ENDPOINTS) {
      const into = join(outDir, 'ours', functionName);
      mkdirSync(into, { recursive: true });
      execFileSync('unzip', ['-q', '-o', join(root, '.serverless', `${functionName}.zip`), '-d', into]);
      oursBundles[functionName] = join(into, 'functions', `${functionName}${BUNDLE_EXTENSION}`);
    }
  } else {
    for (const { functionName } of ENDPOINTS) {
      oursBundles[functionName] = await bundle(
        `functions/${functionName}.ts`,
        join(outDir, 'ours', functionName, 'functions'),
      );
    }
  }

  return {
    ours: oursBundles,
    baseline: await bundle('bench/baseline/handler.ts', join(outDir, 'baseline')),
    floor: await bundle('bench/floor/handler.ts', join(outDir, 'floor')),
    documents: {
      baseline: await bundle('bench/baseline/docxHandler.ts', join(outDir, 'baseline-docx')),
      floor: await bundle('bench/floor/docxHandler.ts', join(outDir, 'floor-docx')),
    },
    contestantProcess: await helper('bench/child/contestantProcess.ts', 'esm'),
    coldStart: await helper('bench/child/coldStart.ts', 'esm'),
    s3ServerProcess: await helper('bench/child/s3ServerProcess.ts'),
    oursFrom: ours,
  };
}

/**
 * Bundles a script run as a process of its own (the bench's helpers, a test's child) into
 * `outfile`, as CommonJS or an ES module. Its packages stay external, resolved from
 * node_modules: `outfile` must lie inside the repository.
 *
 * @example
 * const child = await buildHelperProcess(join(root, 'bench/child/coldStart.ts'), join(outDir, 'coldStart.mjs'), 'esm');
 */
export async function buildHelperProcess(
  entry: string,
  outfile: string,
  format: 'cjs' | 'esm' = 'cjs',
): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format,
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Builds one bundle with the functions' esbuild settings (`overrides` on top) and returns its entry
 * file. Split into chunks, a bundle is a directory: its entry and the chunks it imports.
 *
 * @example
 * const entry = await buildBundle('/repo/functions/imImage.ts', '/tmp/im', { minify: false }); // '/tmp/im/imImage.mjs'
 */
export async function buildBundle(entry: string, outdir: string, overrides: BuildOptions = {}): Promise<string> {
  await build({ ...functionBundleOptions, ...overrides, entryPoints: [entry], outdir, logLevel: 'error' });
  return join(outdir, basename(entry).replace(/\.ts$/, BUNDLE_EXTENSION));
}

/** The bundle a contestant runs for one function (the baseline and the floor: one for images, one for documents). */
export function bundleOf(bundles: Bundles, contestant: ContestantName, functionName: string): string {
  if (contestant === 'ours') {
    const path = bundles.ours[functionName];
    if (path === undefined) throw new Error(`no bundle for ${functionName}`);
    return path;
  }
  return functionName === 'docxImages' ? bundles.documents[contestant] : bundles[contestant];
}

/** The extension of a bundle's files, as esbuild.config.js names them (`.mjs`: ES modules). */
export const BUNDLE_EXTENSION = functionBundleOptions.outExtension?.['.js'] ?? '.js';

/** The chunks a file of a bundle imports statically, as esbuild writes them: `from"./chunk-….mjs"`. */
function staticImportsOf(code: string): string[] {
  return [...code.matchAll(/\b(?:import|export)\s*(?:[\w$*{},\s]*?from\s*)?"(\.\/[^"]+)"/g)].map((match) => match[1]!);
}

/** The files a cold start loads: the bundle's entry and the chunks it imports statically, transitively. */
export function filesLoadedBy(entry: string): string[] {
  const loaded = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (loaded.has(file)) continue;
    loaded.add(file);
    pending.push(...staticImportsOf(readFileSync(file, 'utf8')).map((path) => join(dirname(file), path)));
  }
  return [...loaded];
}

/** Every file of a bundle: its entry's directory, chunks imported on first use included. */
export function filesShippedWith(entry: string): string[] {
  const directory = dirname(entry);
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .map((name) => join(directory, name))
    .filter((file) => file.endsWith(BUNDLE_EXTENSION));
}

/** A bundle's size in bytes: what a cold start loads, and every file shipped. */
export function bytesOf(entry: string): { loaded: number; shipped: number } {
  const sizeOf = (files: string[]) => files.reduce((sum, file) => sum + statSync(file).size, 0);
  return { loaded: sizeOf(filesLoadedBy(entry)), shipped: sizeOf(filesShippedWith(entry)) };
}
