import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { CONTESTANTS, bundleOf, type Bundles, type ContestantName } from '../harness/buildBundles';
import type { BenchEnvironment } from '../harness/BenchEnvironment';
import { median } from '../harness/stats';
import { ratio, type Figure } from './Figure';

/** A process's wall time from spawn to exit, and what it printed; rejects when it fails. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.once('exit', (code) => (code === 0 ? resolve({ ms: performance.now() - started, stdout }) : reject(new Error(`cold start failed (exit ${code}): ${stderr.slice(-1500)}`))));
  });
}

/** The split the cold-start process prints last: loading the bundle, then the first request. */
function splitOf(stdout: string): { loadMs: number; firstRequestMs: number } {
  const last = stdout.trim().split('\n').at(-1) ?? '{}';
  const printed = /\{"loadMs".*\}$/.exec(last)?.[0] ?? '{}';
  return JSON.parse(printed) as { loadMs: number; firstRequestMs: number };
}

/**
 * Cold start: a fresh process loads the bundle and answers one request (a small im image not
 * stored yet, so token, download, upload and signing all run), minus a bare `node -e 0`.
 * Contestants take turns in every round, so a busy machine weighs on all of them alike.
 */
export async function coldStartFigure(bundles: Bundles, environment: BenchEnvironment, runs: number, nonce: string): Promise<Figure> {
  const times: Record<ContestantName | 'node', number[]> = { ours: [], baseline: [], floor: [], node: [] };
  const loadMs: Record<ContestantName, number[]> = { ours: [], baseline: [], floor: [] };
  const firstRequestMs: Record<ContestantName, number[]> = { ours: [], baseline: [], floor: [] };
  for (let round = 0; round < runs; round += 1) {
    times.node.push((await timeProcess(['-e', '0'], { PATH: process.env.PATH })).ms);
    for (const contestant of CONTESTANTS) {
      const event = JSON.stringify({ imageKey: `cold${nonce}r${round}` });
      const { ms, stdout } = await timeProcess([bundles.coldStart, bundleOf(bundles, contestant, 'imImage'), event], environment.envFor(contestant));
      const split = splitOf(stdout);
      times[contestant].push(ms);
      loadMs[contestant].push(split.loadMs);
      firstRequestMs[contestant].push(split.firstRequestMs);
    }
  }
  const bare = median(times.node);
  const medians = (values: Record<ContestantName, number[]>): Record<ContestantName, number> =>
    Object.fromEntries(CONTESTANTS.map((name) => [name, Math.round(median(values[name]) * 10) / 10])) as Record<ContestantName, number>;
  const [ours, baseline, floor] = CONTESTANTS.map((contestant) => median(times[contestant]) - bare) as [number, number, number];
  return {
    id: 'coldStart',
    figure: 'cold start (imImage)',
    unit: 'ms',
    ours,
    baseline,
    floor,
    ratios: { 'ours/baseline': ratio(ours, baseline) },
    goal: 'ours ≤ 1/2 of the baseline',
    met: ours * 2 <= baseline,
    details: { runs, bareNodeMs: bare, loadBundleMs: medians(loadMs), firstRequestMs: medians(firstRequestMs) },
  };
}
