import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFeishuSandbox, type FeishuSandbox } from '../../tests/sandbox/feishu';
import { LOCAL_S3_CREDENTIALS, S3_COMPATIBLE_CHECKSUMS } from '../../tests/sandbox/s3/startLocalS3';
import { LOOPBACK, type NetworkProfile } from '../network/NetworkProfile';
import type { ContestantName } from './buildBundles';
import { S3ServerProcess } from './S3ServerProcess';

export const BENCH_BUCKET = 'feishu-image-mirror-bench';

/** Large enough for the largest image measured; the functions refuse larger ones by default. */
const MAX_IMAGE_BYTES = String(1024 * 1024 * 1024);

/** The Feishu sandbox (in the bench's process) and the S3 server (in its own), shared by all contestants. */
export interface BenchEnvironment {
  feishu: FeishuSandbox;
  s3: S3ServerProcess;
  /** How the contestants reach the servers: LOOPBACK (direct) here, shaped in a `shapedEnvironment`. */
  network: NetworkProfile;
  /** Lets `envFor(…, sandbox)` reach a sandbox other than `feishu` (one with rate limits) through this network. */
  connect(sandbox: FeishuSandbox): Promise<void>;
  /** The settings a contestant runs with, as serverless.yml would pass them; each stores under its own prefix. */
  envFor(contestant: ContestantName, feishu?: FeishuSandbox): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * Starts the sandbox without rate limits (the throughput figure starts its own, with them)
 * and s3rver in a separate process, with an empty bucket.
 */
export async function startBenchEnvironment(s3ServerScript: string): Promise<BenchEnvironment> {
  const feishu = await startFeishuSandbox({ rateLimits: false });
  const directory = mkdtempSync(join(tmpdir(), 'feishu-image-mirror-bench-s3-'));
  const s3 = await S3ServerProcess.start(s3ServerScript, directory, BENCH_BUCKET);
  return {
    feishu,
    s3,
    network: LOOPBACK,
    async connect() {
      // Direct: every sandbox is reached at its own address.
    },
    envFor(contestant, sandbox = feishu) {
      return {
        PATH: process.env.PATH,
        FEISHU_BASE_URL: sandbox.url,
        FEISHU_APP_ID: sandbox.appId,
        FEISHU_APP_SECRET: sandbox.appSecret,
        FEISHU_HELPDESK_ID: sandbox.helpdeskId,
        FEISHU_HELPDESK_TOKEN: sandbox.helpdeskToken,
        IMAGE_BUCKET: BENCH_BUCKET,
        IMAGE_KEY_PREFIX: `${contestant}/`,
        MAX_IMAGE_BYTES,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
        // s3rver cannot decode aws-chunked uploads: every contestant's SDK adds checksums only where required.
        ...S3_COMPATIBLE_CHECKSUMS,
      };
    },
    async close() {
      await Promise.all([feishu.close(), s3.close()]);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
