import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SHARED_BATCHES } from '../../bench/figures/sharedBudget';
import { startBenchEnvironment, type BenchEnvironment } from '../../bench/harness/BenchEnvironment';
import { buildBundles, bundleOf, type Bundles } from '../../bench/harness/buildBundles';
import {
  runSharedBatches,
  sharedBatchId,
  type SharedBatch,
  type SharedBatchOutcome,
} from '../../bench/harness/sharedBudgetRun';
import { BENCH_BUCKET } from '../../bench/harness/BenchEnvironment';
import type { RateLimitCounting } from '../sandbox/feishu';
import { LOCAL_S3_CREDENTIALS } from '../sandbox/s3/startLocalS3';
import { recordFigures } from '../support/figures';

const root = join(__dirname, '..', '..');

/** Eight environments of 150 im images (50/s, 1000/min), four of 150 whiteboards (10/s), all at once. */
const [IM, WHITEBOARDS] = SHARED_BATCHES as [SharedBatch, SharedBatch];

/** Ids unique to this run, so that no image is a stored copy already. */
const NONCE = randomBytes(4).toString('hex');

/** The ways Feishu's gateway may count its windows; the platform does not say which it keeps. */
const COUNTINGS: readonly RateLimitCounting[] = ['aligned', 'sliding', 'token-bucket'];

/**
 * How many of a batch's images are in the bucket, each looked up by its key (HEAD): the
 * environments store them under the bench's `ours/` prefix, as `ours/{kind}/{id}`.
 */
async function storedImages(endpoint: string, batch: SharedBatch, nonce: string): Promise<number> {
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: LOCAL_S3_CREDENTIALS,
  });
  const keys = Array.from({ length: batch.environments }, (_, e) =>
    Array.from({ length: batch.itemsEach }, (_, i) => `ours/${batch.endpoint}/${sharedBatchId(nonce, e, i)}`),
  ).flat();
  let stored = 0;
  try {
    for (let i = 0; i < keys.length; i += 50) {
      const found = await Promise.all(
        keys.slice(i, i + 50).map((key) =>
          client.send(new HeadObjectCommand({ Bucket: BENCH_BUCKET, Key: key })).then(
            () => 1,
            () => 0,
          ),
        ),
      );
      stored += found.reduce<number>((sum, one) => sum + one, 0);
    }
  } finally {
    client.destroy();
  }
  return stored;
}

// Proof of the shared rate budget (README, "One rate budget for every invocation"): separate
// Node processes, as Lambda runs its execution environments, each invocation given two minutes,
// started on a whole minute of the clock so that Feishu's busiest minute is measured in full;
// once against each way the sandbox can count its windows, one after the other.
describe('Eight execution environments share one Feishu rate budget in DynamoDB', () => {
  // Inside the repository: the helper processes resolve their packages from its node_modules.
  const outDir = join(root, '.build', `proof-${process.pid}`);
  let bundles: Bundles;
  let environment: BenchEnvironment;

  beforeAll(async () => {
    bundles = await buildBundles(root, outDir, 'esbuild');
    environment = await startBenchEnvironment(bundles.s3ServerProcess);
  }, 120_000);

  afterAll(async () => {
    await environment?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  describe.each(COUNTINGS)('against a Feishu counting %s windows', (counting) => {
    const nonce = `${NONCE}${counting.slice(0, 1)}`;
    let im: SharedBatchOutcome;
    let whiteboards: SharedBatchOutcome;

    beforeAll(async () => {
      const outcomes = await runSharedBatches(
        {
          contestantProcess: bundles.contestantProcess,
          bundleOf: (functionName) => bundleOf(bundles, 'ours', functionName),
          envFor: (feishu) => environment.envFor('ours', feishu),
          nonce,
          budgetMs: 120_000,
          alignToMinute: true,
          counting,
        },
        [IM, WHITEBOARDS],
      );
      [im, whiteboards] = outcomes as [SharedBatchOutcome, SharedBatchOutcome];
      for (const { batch, durationsMs, ...figures } of outcomes) {
        recordFigures(`shared-budget-${counting}-${batch.endpoint}`, { environments: batch.environments, ...figures });
      }
    }, 280_000);

    it('mirrors 8 × 150 im images with not one rate-limit answer from Feishu', () => {
      // Assess
      expect(im).toMatchObject({ succeeded: 1200, failed: 0, failedInvocations: 0, rateLimited: 0 });
    });

    it('stores every one of the 1,200 im images in S3', async () => {
      // Assess
      expect(await storedImages(environment.s3.endpoint, IM, nonce)).toBe(1200);
    });

    it("lets no span of a second hold more than im's 50 calls, nor any span of sixty seconds more than 1000", () => {
      // Assess
      expect(im.busiestSecondSpan).toBeLessThanOrEqual(50);
      expect(im.busiestMinuteSpan).toBeLessThanOrEqual(1000);
    });

    it("uses at least 90 % of im's 1000/min in Feishu's busiest minute", () => {
      // Assess
      expect(im.busiestMinute).toBeGreaterThanOrEqual(900);
      expect(im.busiestMinute).toBeLessThanOrEqual(1000);
    });

    it('mirrors 4 × 150 whiteboards with not one rate-limit answer, and stores them all', async () => {
      // Assess
      expect(whiteboards).toMatchObject({ succeeded: 600, failed: 0, failedInvocations: 0, rateLimited: 0 });
      expect(await storedImages(environment.s3.endpoint, WHITEBOARDS, nonce)).toBe(600);
    });

    it("lets no span of a second hold more than the whiteboards' 10 calls", () => {
      // Assess
      expect(whiteboards.busiestSecondSpan).toBeLessThanOrEqual(10);
    });

    it("uses at least 90 % of the whiteboards' 10/s in Feishu's busiest minute", () => {
      // Assess
      expect(whiteboards.busiestMinute).toBeGreaterThanOrEqual(540);
    });

    it('sends fewer requests to the table than calls to Feishu', () => {
      // Assess
      expect(im.tableRequests).toBeLessThan(im.feishuCalls);
      expect(whiteboards.tableRequests).toBeLessThan(whiteboards.feishuCalls);
    });
  });
});
