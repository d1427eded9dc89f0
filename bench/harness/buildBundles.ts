import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
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
  const bundle = async (entry: string, outfile: string): Promise<string> => {
    await build({ ...functionBundleOptions, entryPoints: [join(root, entry)], outfile, logLevel: 'error' });
    return outfile;
  };
  const helper = (entry: string): Promise<string> =>
    buildHelperProcess(
      join(root, entry),
      join(outDir, 'bench', `${entry.replace(/^.*\//, '').replace(/\.ts$/, '')}.js`),
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
      oursBundles[functionName] = join(into, 'functions', `${functionName}.js`);
    }
  } else {
    for (const { functionName } of ENDPOINTS) {
      oursBundles[functionName] = await bundle(
        `functions/${functionName}.ts`,
        join(outDir, 'ours', functionName, 'functions', `${functionName}.js`),
      );
    }
  }

  return {
    ours: oursBundles,
    baseline: await bundle('bench/baseline/handler.ts', join(outDir, 'baseline', 'handler.js')),
    floor: await bundle('bench/floor/handler.ts', join(outDir, 'floor', 'handler.js')),
    contestantProcess: await helper('bench/child/contestantProcess.ts'),
    coldStart: await helper('bench/child/coldStart.ts'),
    s3ServerProcess: await helper('bench/child/s3ServerProcess.ts'),
    oursFrom: ours,
  };
}

/**
 * Bundles a script run as a process of its own (the bench's helpers, a test's child) into
 * `outfile`. Its packages stay external, resolved from node_modules: `outfile` must lie inside
 * the repository.
 *
 * @example
 * const child = await buildHelperProcess(join(root, 'bench/child/coldStart.ts'), join(outDir, 'coldStart.js'));
 */
export async function buildHelperProcess(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

/** The bundle a contestant runs for one function (the baseline and the floor have one for all). */
export function bundleOf(bundles: Bundles, contestant: ContestantName, functionName: string): string {
  if (contestant === 'ours') {
    const path = bundles.ours[functionName];
    if (path === undefined) throw new Error(`no bundle for ${functionName}`);
    return path;
  }
  return bundles[contestant];
}

/** A bundle's size in bytes. */
export function bytesOf(path: string): number {
  return statSync(path).size;
}
