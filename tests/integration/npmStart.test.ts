import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { ENDPOINTS } from '../../lib/endpoints';

const ROOT = join(__dirname, '..', '..');

/** An image's answer, or a document's with the answer of each of its images. */
interface ImageOrDocumentAnswer {
  kind: string;
  url?: string;
  images?: { answer: { url: string } }[];
}

describe('npm start', () => {
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    // Six ports apart for parallel runs, all below Linux's ephemeral range (32768 up), where the
    // system hands out ports to outgoing connections.
    const base = 20_000 + Math.floor(Math.random() * 2000) * 6;
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        FEISHU_APP_ID: '',
        IMAGE_BUCKET: '',
        AWS_ENDPOINT_URL_S3: '',
        LOCAL_API_KEY: '',
        OFFLINE_HTTP_PORT: String(base),
        OFFLINE_LAMBDA_PORT: String(base + 1),
        LOCAL_S3_PORT: String(base + 2),
        FEISHU_SANDBOX_PORT: String(base + 3),
        LOCAL_DYNAMODB_PORT: String(base + 4),
        LOCAL_SQS_PORT: String(base + 5),
        MESSAGE_IMAGE_QUEUE_URL: '',
        AWS_ENDPOINT_URL_SQS: '',
        RATE_LIMIT_TABLE: '',
        AWS_ENDPOINT_URL_DYNAMODB: '',
        EVENT_BUS_NAME: '',
        AWS_ENDPOINT_URL_EVENTBRIDGE: '',
      },
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = Date.now();
    while (!output.includes('Try:')) {
      if (child.exitCode !== null || Date.now() - started > 90_000)
        throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);

  afterAll(async () => {
    if (child?.pid === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGINT');
    await exited;
  });

  it('prints an API key and a curl per route that answer with a working image URL', async () => {
    // Prepare
    const curls = [...output.matchAll(/curl -s -H 'x-api-key: ([0-9a-f]+)' '([^']+)'/g)].map((match) => ({
      key: match[1]!,
      url: match[2]!,
    }));

    // Act
    const answers = await Promise.all(
      curls
        .slice(0, ENDPOINTS.length)
        .map(
          async ({ key, url }) =>
            (await fetch(url, { headers: { 'x-api-key': key } })).json() as Promise<ImageOrDocumentAnswer>,
        ),
    );

    // Assess
    expect(curls.length).toBeGreaterThanOrEqual(ENDPOINTS.length);
    expect(answers.map((answer) => answer.kind)).toEqual(ENDPOINTS.map((endpoint) => endpoint.kind));
    const urls = answers.flatMap((answer) => answer.images?.map((image) => image.answer.url) ?? [answer.url]);
    expect(urls.length).toBeGreaterThan(ENDPOINTS.length);
    for (const url of urls) expect((await fetch(url!)).status).toBe(200);
  });

  it('stores an image whose id is 256 characters long, the most an id may have, in the local bucket', async () => {
    // Prepare
    const [, key, url] = /curl -s -H 'x-api-key: ([0-9a-f]+)' '([^']+\/im\/images\/)[^']+'/.exec(output) ?? [];
    const id = `img_v3_${'a'.repeat(249)}`;

    // Act
    const response = await fetch(`${url!}${id}`, { headers: { 'x-api-key': key! } });

    // Assess
    const answer = (await response.json()) as { url: string; key: string };
    expect(response.status).toBe(200);
    expect(answer.key).toBe(`feishu/im/${id}`);
    expect((await fetch(answer.url)).status).toBe(200);
  });

  it('prints a curl for the OpenAPI document that answers openapi.json', async () => {
    // Prepare
    const [, key, url] = /curl -s -H 'x-api-key: ([0-9a-f]+)' '([^']+\/openapi\.json)'/.exec(output) ?? [];
    const shipped = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as unknown;

    // Act
    const response = await fetch(url!, { headers: { 'x-api-key': key! } });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(shipped);
  });

  it('prints a curl for a documented Feishu error that answers it', async () => {
    // Prepare
    const [, key, url] = /curl -s -H 'x-api-key: ([0-9a-f]+)' '([^']+err-234005)'/.exec(output) ?? [];

    // Act
    const response = await fetch(url!, { headers: { 'x-api-key': key! } });

    // Assess
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('prints how to drop a manifest into the local bucket, and its results appear where it says', async () => {
    // Prepare
    const drop = /^ {2}(printf .*requests\/im\/example\.jsonl')$/m.exec(output)?.[1];
    const read = /^ {2}curl -s '([^']+\/results\/im\/example\.json)'$/m.exec(output)?.[1];
    // The local bucket keeps its data between runs: results of an earlier one must not count.
    await fetch(read!, { method: 'DELETE' });

    // Act
    await promisify(execFile)('sh', ['-c', drop!]);
    let results: Response | undefined;
    for (let tries = 0; tries < 100 && results?.status !== 200; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      results = await fetch(read!);
    }

    // Assess
    expect(results?.status).toBe(200);
    const answer = (await results!.json()) as {
      results: { error?: { code: string }; url?: string }[];
      succeeded: number;
      failed: number;
    };
    expect(answer).toMatchObject({ succeeded: 1, failed: 1 });
    expect(answer.results[1]?.error?.code).toBe('NOT_FOUND');
    expect((await fetch(answer.results[0]!.url!)).status).toBe(200);
  }, 60_000);

  it('prints how to post an image in a sandbox chat, which lands in the bucket through feishuEvents', async () => {
    // Prepare
    const post = /^ {2}(curl -s -X POST '[^']+\/sandbox\/chats\/[^']+' -d '\{"messageType":"image"\}')$/m.exec(
      output,
    )?.[1];
    const objects = /curl -s '([^']+)\/results\/im\/example\.json'/.exec(output)?.[1];

    // Act
    const { stdout } = await promisify(execFile)('sh', ['-c', post!]);
    const posted = JSON.parse(stdout) as { message_id: string; image_keys: string[]; attempts: { status?: number }[] };
    const stored = `${objects!}/feishu/im-message/${posted.message_id}/${posted.image_keys[0]}`;
    let object: Response | undefined;
    for (let tries = 0; tries < 150 && object?.status !== 200; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      object = await fetch(stored);
    }

    const told = `event Image Mirrored: im-message feishu/im-message/${posted.message_id}/${posted.image_keys[0]} (`;
    for (let tries = 0; tries < 50 && !output.includes(told); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Assess
    expect(posted.attempts.map((attempt) => attempt.status)).toEqual([200]);
    expect(object?.status).toBe(200);
    expect(object?.headers.get('content-type')).toMatch(/^image\//);
    expect(output).toContain(told);
  }, 60_000);

  it('prints the metrics a request produced, read from its EMF lines, in place of those lines', async () => {
    // Prepare
    const [, key, url] = /curl -s -H 'x-api-key: ([0-9a-f]+)' '([^']+\/im\/images\/)[^']+'/.exec(output) ?? [];
    const before = output.length;

    // Act
    // A new id every run, so the local bucket (kept between runs) has no copy: a miss.
    const response = await fetch(`${url!}img_v3_metrics_${Date.now()}`, { headers: { 'x-api-key': key! } });
    let printed: RegExpExecArray | null = null;
    for (let tries = 0; tries < 50 && printed === null; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The line of this request: a manifest run by the test before may print its own first.
      printed = /^ {2}metrics \(imImage, request [0-9a-f]{8}\): (.*ImagesMirrored.*)$/m.exec(output.slice(before));
    }

    // Assess
    expect(response.status).toBe(200);
    expect(printed?.[1]).toMatch(/ImagesMirrored\{kind=im\} 1 · BytesStored\{kind=im\} \d+ B/);
    expect(printed?.[1]).toMatch(/FeishuCalls\{kind=im\} 1 · FeishuLatency\{kind=im\} \d+ ms/);
    expect(output).not.toContain('"CloudWatchMetrics"');
  });

  it("prints the 'Image Mirrored' event a miss put on the EventBridge stand-in", async () => {
    // Prepare
    const [, key, url] = /curl -s -H 'x-api-key: ([0-9a-f]+)' '([^']+\/im\/images\/)[^']+'/.exec(output) ?? [];
    const imageKey = `img_v3_events_${Date.now()}`;

    // Act
    const response = await fetch(`${url!}${imageKey}`, { headers: { 'x-api-key': key! } });
    const answer = (await response.json()) as { key: string; size: number; sha256: string };
    const line = `  event Image Mirrored: im ${answer.key} (${answer.size} B, sha256 ${answer.sha256.slice(0, 12)}…)`;
    for (let tries = 0; tries < 50 && !output.includes(line); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Assess
    expect(output).toMatch(
      /^ {2}Events: http:\/\/127\.0\.0\.1:\d+ \(EventBridge stand-in, printed below\) {3}bus default$/m,
    );
    expect(output).toContain(line);
  });

  it('prints no warning a newcomer would wonder about, having served every request above', () => {
    // Assess
    expect(output).not.toMatch(/NodeVersionSupportWarning|DeprecationWarning|EBADENGINE|ExperimentalWarning/);
    expect(output).not.toMatch(/^npm warn/m);
  });
});
