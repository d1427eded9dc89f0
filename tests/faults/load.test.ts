import { randomBytes } from 'node:crypto';
import { baike, helpdeskFaq, im, type EndpointDescription } from '../../lib/endpoints';
import { fillPath } from '../../lib/feishu/feishuUrl';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { recordFigures } from '../support/figures';
import { findSecrets } from '../support/logCapture/scanCapturedLogs';
import { freePortPair } from '../support/freePorts';
import { startRgwEnvironment, type RgwEnvironment } from '../support/rgwEnvironment';
import { percentile, sendRequests, type Timed } from '../support/sendRequests';
import { startServerlessOffline, type ServerlessOffline } from '../support/startServerlessOffline';

const API_KEY = randomBytes(16).toString('hex');
const REQUESTS = 200;
const IMAGES = 50;
const FAQ = '6936004780707807251';

/** The images of the run: spread over the three endpoints whose images never change (cacheable). */
const images = Array.from({ length: IMAGES }, (_, i) => {
  const endpoint: EndpointDescription = [im, baike, helpdeskFaq][i % 3] ?? im;
  const id = `load_${i}_${randomBytes(3).toString('hex')}`;
  const ids = Object.fromEntries(endpoint.ids.map((name) => [name, name === 'faqId' ? FAQ : id]));
  return { endpoint, id, path: fillPath(endpoint.route, ids) };
});
/** Every image asked for REQUESTS / IMAGES times, interleaved as independent callers would. */
const paths = Array.from({ length: REQUESTS }, (_, i) => images[i % IMAGES]?.path ?? '');

describe(`${REQUESTS} concurrent requests for ${IMAGES} images through serverless-offline, on Ceph RGW`, () => {
  let env: RgwEnvironment;
  let offline: ServerlessOffline;
  let cold: Timed[];
  beforeAll(async () => {
    env = await startRgwEnvironment('load', { env: { POWERTOOLS_LOG_LEVEL: 'INFO' } });
    // In process: each function's bundle loaded once, one execution environment per function
    // serving every concurrent request. With worker threads (the default) a cold burst starts
    // one thread per request, each loading its own bundle, which two shared cores cannot do
    // within the functions' 60 s timeout.
    offline = await startServerlessOffline({ ...process.env, LOCAL_API_KEY: API_KEY }, await freePortPair(), [
      '--useInProcess',
    ]);
    cold = await sendRequests(offline.url, paths, { 'x-api-key': API_KEY }, REQUESTS);
  }, 300_000);
  afterAll(async () => {
    await offline?.stop();
    await env?.close();
  });

  const mirrored = () =>
    offline
      .output()
      .split('\n')
      .filter((line) => line.includes('"image mirrored"'))
      .map(
        (line) =>
          JSON.parse(line.slice(line.indexOf('{'))) as { key: string; cached: boolean; containerTokenRequests: number },
      );

  it('answers every request correctly: 200, the right key, a URL serving the stored bytes', async () => {
    // Assess
    const failures = cold
      .filter((answer) => answer.status !== 200)
      .map((answer) => `${answer.status} ${answer.body.slice(0, 200)}`);
    expect([...new Set(failures)]).toEqual([]);
    const bySha = new Map<string, string>();
    for (const { path, body } of cold) {
      const answer = JSON.parse(body) as MirrorAnswer;
      const image = images.find((candidate) => candidate.path === path);
      expect(answer.key.endsWith(`/${image?.id}`)).toBe(true);
      expect(bySha.get(answer.key) ?? answer.sha256).toBe(answer.sha256);
      bySha.set(answer.key, answer.sha256);
    }
    expect(bySha.size).toBe(IMAGES);
    expect((await env.keys()).length).toBe(IMAGES);
  });

  it('makes at most one token request per execution environment, never one per request', () => {
    // Assess
    const lines = mirrored();
    expect(lines).toHaveLength(REQUESTS);
    expect(lines.every((line) => line.containerTokenRequests <= 1)).toBe(true);
    // Three functions served them: one environment, and so at most one token request, each.
    expect(env.feishu.count('token')).toBeLessThanOrEqual(3);
  });

  it('fetches each image from Feishu once, and serves it from the cache afterwards', async () => {
    // Prepare
    const downloadsCold = env.feishu.count() - env.feishu.count('token');
    const tokensCold = env.feishu.count('token');

    // Act
    const warm = await sendRequests(offline.url, paths, { 'x-api-key': API_KEY }, REQUESTS);

    // Assess
    // Concurrent requests for one image in one environment share its download.
    expect(downloadsCold).toBe(IMAGES);
    expect(
      mirrored()
        .slice(0, REQUESTS)
        .filter((line) => !line.cached),
    ).toHaveLength(IMAGES);
    expect(warm.map((answer) => [answer.status, (JSON.parse(answer.body) as MirrorAnswer).cached])).toEqual(
      paths.map(() => [200, true]),
    );
    expect(env.feishu.count() - env.feishu.count('token')).toBe(downloadsCold);
    expect(env.feishu.count('token')).toBe(tokensCold);
    const coldMs = cold.map((answer) => answer.ms);
    const warmMs = warm.map((answer) => answer.ms);
    const figures = {
      requests: REQUESTS,
      images: IMAGES,
      tokenRequests: tokensCold,
      feishuDownloads: downloadsCold,
      coldP50Ms: Math.round(percentile(coldMs, 50)),
      coldP99Ms: Math.round(percentile(coldMs, 99)),
      warmP50Ms: Math.round(percentile(warmMs, 50)),
      warmP99Ms: Math.round(percentile(warmMs, 99)),
    };
    recordFigures('load', figures);
    process.stdout.write(`\nload: ${JSON.stringify(figures)}\n`);
  });

  it("writes no secret, token or URL signature to the functions' logs under load", () => {
    // Assess
    expect(mirrored().length).toBeGreaterThanOrEqual(REQUESTS);
    expect(findSecrets(offline.output())).toEqual([]);
    expect(offline.output()).not.toContain(API_KEY);
  });
});
