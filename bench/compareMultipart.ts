/**
 * `npm run bench:multipart`: an image of unknown length stored in parts two ways, each in a
 * fresh Node process against s3rver in another: the product's store (the SDK's multipart
 * commands, reused part buffers, every call with the deadline's abort signal) and
 * `@aws-sdk/lib-storage`'s `Upload` (queueSize 4, 5 MiB parts, leavePartsOnError false), both
 * fed the same metered body (counted and hashed). Prints the median duration and the peak RSS
 * above idle of each. Not part of `npm run bench`; bench/README.md quotes it.
 */
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Upload } from '@aws-sdk/lib-storage';
import { S3Client } from '@aws-sdk/client-s3';
import { MeteredBody } from '../lib/image/MeteredBody';
import { Deadline } from '../lib/runtime/Deadline';
import { storeImage } from '../lib/storage/storeImage';
import { LOCAL_S3_CREDENTIALS, S3_COMPATIBLE_CHECKSUMS } from '../tests/sandbox/s3/startLocalS3';
import { S3ServerProcess } from './harness/S3ServerProcess';
import { MiB, median } from './harness/stats';

const BUCKET = 'feishu-image-mirror-bench';

async function* body(bytes: number): AsyncGenerator<Uint8Array> {
  const chunk = Buffer.alloc(64 * 1024, 7);
  for (let sent = 0; sent < bytes; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, bytes - sent));
}

async function child(way: string, bytes: number, endpoint: string): Promise<void> {
  Object.assign(process.env, S3_COMPATIBLE_CHECKSUMS);
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: LOCAL_S3_CREDENTIALS,
  });
  const deadline = new Deadline(600_000, 3_000);
  const metered = () => new MeteredBody(body(bytes), { maxBytes: bytes, signal: deadline.signal });
  const key = `multipart/${way}/${bytes}-${Date.now()}`;
  const idle = process.memoryUsage.rss();
  const started = performance.now();
  if (way === 'commands') {
    await storeImage(
      client,
      metered(),
      { bucket: BUCKET, key, contentType: 'image/png', fetchedAt: new Date().toISOString() },
      deadline,
    );
  } else {
    const upload = new Upload({
      client,
      params: {
        Bucket: BUCKET,
        Key: key,
        ContentType: 'image/png',
        Body: Readable.from(metered().chunks(), { objectMode: false }),
      },
      queueSize: 4,
      partSize: 5 * MiB,
      leavePartsOnError: false,
    });
    await upload.done();
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, peakAboveIdleMiB: (process.resourceUsage().maxRSS * 1024 - idle) / MiB }));
  client.destroy();
}

async function main(): Promise<void> {
  const [role, way, bytes, endpoint] = process.argv.slice(2);
  if (role === 'child') return child(way ?? '', Number(bytes), endpoint ?? '');
  const root = join(__dirname, '..');
  const script = join(root, '.build', 'bench-multipart-s3.js');
  execFileSync(join(root, 'node_modules', '.bin', 'esbuild'), [
    join(root, 'bench/child/s3ServerProcess.ts'),
    '--bundle',
    '--platform=node',
    '--target=node24',
    '--packages=external',
    '--log-level=warning',
    `--outfile=${script}`,
  ]);
  const directory = mkdtempSync(join(tmpdir(), 'feishu-image-mirror-multipart-'));
  const s3 = await S3ServerProcess.start(script, directory, BUCKET);
  try {
    for (const size of [64, 256]) {
      const results: Record<string, { ms: number[]; peak: number[] }> = {
        commands: { ms: [], peak: [] },
        upload: { ms: [], peak: [] },
      };
      for (let run = 0; run < 3; run += 1) {
        for (const way of ['commands', 'upload']) {
          const out = execFileSync(process.execPath, [
            __filename,
            'child',
            way,
            String(size * MiB),
            s3.endpoint,
          ]).toString();
          const { ms, peakAboveIdleMiB } = JSON.parse(out) as { ms: number; peakAboveIdleMiB: number };
          results[way]!.ms.push(ms);
          results[way]!.peak.push(peakAboveIdleMiB);
        }
      }
      for (const [way, { ms, peak }] of Object.entries(results)) {
        console.log(
          `${size} MiB of unknown length, ${way}: median ${median(ms).toFixed(0)} ms, ` +
            `peak RSS above idle ${Math.max(...peak).toFixed(1)} MiB`,
        );
      }
    }
  } finally {
    await s3.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
