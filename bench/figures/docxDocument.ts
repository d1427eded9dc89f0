import { setTimeout as sleep } from 'node:timers/promises';
import { startFeishuSandbox } from '../../tests/sandbox/feishu';
import { docx } from '../../lib/endpoints';
import type { BenchEnvironment } from '../harness/BenchEnvironment';
import { CONTESTANTS, type Bundles, type ContestantName } from '../harness/buildBundles';
import { closeContestants, startContestants } from '../harness/startContestants';
import { median } from '../harness/stats';
import { ratio, type Figure } from './Figure';

/**
 * Waits for the next whole second of the clock, so that a contestant starts in a window of the
 * sandbox's rate limits that the one before it has not used.
 */
const nextWindow = (): Promise<void> => sleep(1000 - (Date.now() % 1000) + 5);

/** What each contestant answers for a document: how many of its images were mirrored. */
interface DocumentOutcome {
  succeeded?: number;
  failed?: number;
}

/**
 * A docx document of `images` images, warm, against a sandbox that enforces Feishu's rate limits
 * (document media: 5 a second), median of `runs`: ours (docxImages), the baseline (the SDK's
 * listing, then one image after the other, paced to the limit) and the floor (plain fetches
 * and PUTs, five at the start of each second). A fresh document per round, the same for all three,
 * so that every image is a miss; `offset` keeps one profile's documents apart from another's.
 */
export async function docxDocumentFigure(
  bundles: Bundles,
  environment: BenchEnvironment,
  images: number,
  runs: number,
  offset: number,
): Promise<Figure> {
  const feishu = await startFeishuSandbox({ rateLimits: true });
  await environment.connect(feishu);
  const contestants = await startContestants(bundles, environment, docx.functionName, feishu);
  const durations: Record<ContestantName, number[]> = { ours: [], baseline: [], floor: [] };
  const failures: Record<ContestantName, string[]> = { ours: [], baseline: [], floor: [] };
  const rateLimited: Record<ContestantName, number> = { ours: 0, baseline: 0, floor: 0 };
  try {
    // Warm-up: a document of one image, so that each process has its token and connections.
    for (const name of CONTESTANTS) {
      await nextWindow();
      await contestants[name].invoke({ documentId: `docgen-1-0-${offset}` });
    }
    for (let round = 0; round < runs; round += 1) {
      const documentId = `docgen-${images}-0-${offset + round + 1}`;
      for (const name of CONTESTANTS) {
        await nextWindow();
        const mark = feishu.requests.length;
        const result = await contestants[name].invoke({ documentId });
        rateLimited[name] += feishu.requests.slice(mark).filter((request) => request.status === 429).length;
        const outcome = (result.answer ?? {}) as DocumentOutcome;
        if (result.error) failures[name].push(`${result.error.name}: ${result.error.message}`);
        else if (outcome.succeeded !== images) failures[name].push(`${outcome.failed ?? '?'} of ${images} failed`);
        durations[name].push(result.durationMs);
      }
    }
    const ms = Object.fromEntries(CONTESTANTS.map((name) => [name, median(durations[name])])) as Record<
      ContestantName,
      number
    >;
    return {
      id: 'docxDocument',
      figure: `docx document of ${images} images, at the rate limit`,
      unit: 'ms',
      ours: ms.ours,
      baseline: ms.baseline,
      floor: ms.floor,
      ratios: { 'ours/floor': ratio(ms.ours, ms.floor), 'ours/baseline': ratio(ms.ours, ms.baseline) },
      goal: `ours ≤ 1.1× the floor; all ${images} mirrored, no rate-limit answer`,
      met: ms.ours <= 1.1 * ms.floor && failures.ours.length === 0 && rateLimited.ours === 0,
      details: { runs, failures, rateLimitAnswers: rateLimited },
      note: 'the baseline lists with the SDK, then copies one image after the other, at most 5 a second',
    };
  } finally {
    await closeContestants(contestants);
    await feishu.close();
  }
}
