import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { ENDPOINTS } from '../../lib/endpoints';
import { fillPath } from '../../lib/feishu/feishuUrl';
import { recordFigures } from '../support/figures';
import { freePortPair } from '../support/freePorts';
import { startMirrorEnvironment, type MirrorEnvironment } from '../support/mirrorEnvironment';
import { percentile, sendRequests, type Timed } from '../support/sendRequests';
import { startServerlessOffline, type ServerlessOffline } from '../support/startServerlessOffline';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 16);
const API_KEY = randomBytes(16).toString('hex');
const FAQ = '6936004780707807251';

/**
 * One request of the mix: cached and fresh images on all four routes, refreshes, redirects,
 * big images, errors, bad ids.
 */
function mixedPath(n: number): string {
  const endpoint = ENDPOINTS[Math.abs(n) % ENDPOINTS.length] ?? ENDPOINTS[0];
  const pick = Math.abs(n) % 20;
  const id =
    pick < 8
      ? `soak_hot_${Math.abs(n) % 30}`
      : pick < 12
        ? `soak_fresh_${n}`
        : pick === 12
          ? 'big-7340032'
          : pick === 13
            ? 'err-http-503'
            : pick === 14
              ? endpoint.kind === 'whiteboard'
                ? 'err-2890003'
                : endpoint.kind === 'baike'
                  ? 'err-1540003'
                  : 'err-234005'
              : pick === 15
                ? 'bad..id'
                : `soak_hot_${Math.abs(n) % 30}`;
  const ids = Object.fromEntries(endpoint.ids.map((name) => [name, name === 'faqId' ? FAQ : id]));
  const query =
    pick === 16 ? '?refresh=true' : pick === 17 ? '?redirect=true' : pick === 18 ? '?expiresIn=60&download=true' : '';
  return fillPath(endpoint.route, ids) + query;
}

/** Resident memory (MiB), threads, open file descriptors and, among them, sockets of a process, from /proc. */
function sample(pid: number): { rssMiB: number; threads: number; fds: number; sockets: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  const fds = readdirSync(`/proc/${pid}/fd`);
  const sockets = fds.filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
  return {
    rssMiB: Math.round(rssKiB / 1024),
    threads: Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? NaN),
    fds: fds.length,
    sockets,
  };
}

describe(`Mixed traffic for ${SECONDS} s through serverless-offline`, () => {
  let env: MirrorEnvironment;
  let offline: ServerlessOffline;
  beforeAll(async () => {
    env = await startMirrorEnvironment({ env: { POWERTOOLS_LOG_LEVEL: 'WARN' } });
    offline = await startServerlessOffline({ ...process.env, LOCAL_API_KEY: API_KEY }, await freePortPair(), [
      '--useInProcess',
    ]);
  }, 180_000);
  afterAll(async () => {
    await offline?.stop();
    await env?.close();
  });

  it(
    'keeps the memory of the process flat and leaks no handles',
    async () => {
      // Prepare: warm-up rounds, so the functions' environments (worker threads) exist before measuring.
      const pid = offline.pid ?? 0;
      for (let round = 0; round < 3; round += 1)
        await sendRequests(
          offline.url,
          Array.from({ length: 200 }, (_, i) => mixedPath(-1000 * (round + 1) + i)),
          { 'x-api-key': API_KEY },
          CONCURRENCY,
        );
      const samples = [sample(pid)];
      const answers: Timed[] = [];
      const ends = Date.now() + SECONDS * 1000;

      // Act
      for (let round = 1; Date.now() < ends; round += 1) {
        const paths = Array.from({ length: 200 }, (_, i) => mixedPath(round * 200 + i));
        answers.push(...(await sendRequests(offline.url, paths, { 'x-api-key': API_KEY }, CONCURRENCY)));
        env.feishu.reset();
        samples.push(sample(pid));
      }

      // Assess
      const statuses: Record<string, number> = {};
      for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
      const firstHalf = samples.slice(0, Math.ceil(samples.length / 2));
      const secondHalf = samples.slice(Math.ceil(samples.length / 2));
      const most = (of: typeof samples, what: 'rssMiB' | 'fds') => Math.max(...of.map((s) => s[what]));
      const summary = {
        seconds: SECONDS,
        requests: answers.length,
        statuses: JSON.stringify(statuses),
        p50Ms: Math.round(
          percentile(
            answers.map((a) => a.ms),
            50,
          ),
        ),
        p99Ms: Math.round(
          percentile(
            answers.map((a) => a.ms),
            99,
          ),
        ),
        samples: samples.length,
        rssStartMiB: samples[0]?.rssMiB ?? 0,
        rssEndMiB: samples.at(-1)?.rssMiB ?? 0,
        rssMaxFirstHalfMiB: most(firstHalf, 'rssMiB'),
        rssMaxSecondHalfMiB: most(secondHalf, 'rssMiB'),
        fdsStart: samples[0]?.fds ?? 0,
        fdsEnd: samples.at(-1)?.fds ?? 0,
        fdsMaxFirstHalf: most(firstHalf, 'fds'),
        fdsMaxSecondHalf: most(secondHalf, 'fds'),
      };
      recordFigures('soak', summary);
      const sampled = samples.map((s) => `${s.rssMiB}M/${s.threads}t/${s.fds}fd/${s.sockets}s`).join(' ');
      process.stdout.write(`\nsoak: ${JSON.stringify(summary, null, 2)}\nsamples: ${sampled}\n`);
      // The mix's answers only: images, redirects, bad ids, Feishu's 404s and always-503 ids.
      expect(Object.keys(statuses).filter((status) => !['200', '302', '400', '404', '502'].includes(status))).toEqual(
        [],
      );
      expect(answers.filter((a) => a.status >= 500 && !a.body.includes('UPSTREAM_ERROR'))).toEqual([]);
      // Flat: the second half of the run never climbs past the first half's peak (a leak grows
      // with the requests served; new environments and GC cycles do not).
      expect(summary.rssMaxSecondHalfMiB).toBeLessThanOrEqual(summary.rssMaxFirstHalfMiB * 1.15);
      expect(summary.fdsMaxSecondHalf).toBeLessThanOrEqual(summary.fdsMaxFirstHalf + 10);
    },
    (SECONDS + 300) * 1000,
  );
});
