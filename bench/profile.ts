/**
 * `npm run bench:profile -- <ours|baseline|floor> <bytes> <count>`: where a contestant spends
 * its CPU. Runs `count` warm im images of about `bytes` each (fresh keys) through one
 * contestant built with the bench's esbuild settings but not minified, so that the profile
 * names functions and modules, under `node --cpu-prof`. Open the .cpuprofile it writes in
 * Chrome DevTools (Performance) or any V8 profile viewer. Not part of `npm run bench`.
 */
import { join } from 'node:path';
import { startBenchEnvironment } from './harness/BenchEnvironment';
import { buildBundle, buildBundles, CONTESTANTS, type ContestantName } from './harness/buildBundles';
import { ContestantProcess } from './harness/ContestantProcess';
import { median } from './harness/stats';

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const [name = 'ours', bytes = '102400', count = '300'] = process.argv.slice(2);
  if (!CONTESTANTS.includes(name as ContestantName))
    throw new Error(`the contestant must be one of ${CONTESTANTS.join(', ')}`);
  const contestant = name as ContestantName;
  const out = join(root, '.build', 'bench-profile');
  const bundles = await buildBundles(root, out, 'esbuild');
  const entry = contestant === 'ours' ? 'functions/imImage.ts' : `bench/${contestant}/handler.ts`;
  const bundle = await buildBundle(join(root, entry), join(out, 'readable', contestant), { minify: false });
  const environment = await startBenchEnvironment(bundles.s3ServerProcess);
  const profiles = join(out, 'profiles');
  const container = await ContestantProcess.start(bundles.contestantProcess, bundle, environment.envFor(contestant), [
    '--cpu-prof',
    `--cpu-prof-dir=${profiles}`,
  ]);
  try {
    const durations: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < Number(count); i += 1) {
      const result = await container.invoke({ imageKey: `big-${Number(bytes) + i}` });
      if (result.error) throw new Error(`${result.error.name}: ${result.error.message}`);
      durations.push(result.durationMs);
      cpu.push(result.cpuMs);
    }
    console.log(
      `${contestant}: median ${median(durations).toFixed(1)} ms, CPU ${median(cpu).toFixed(1)} ms per image; ` +
        `profile in ${profiles}/`,
    );
  } finally {
    await container.close();
    await environment.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
