import type { BatchAnswer } from '../../lib/batch/BatchAnswer';
import type { FullDocumentAnswer } from '../../lib/mirror/DocumentAnswer';
import { handler as docxImages } from '../../functions/docxImages';
import { handler as driveMedia } from '../../functions/driveMedia';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import { busiestSpan } from '../support/busiestSpan';
import { lambdaContext } from '../support/lambdaContext';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

// A file of its own: the sandbox enforces the documented limits here, and the functions'
// S3 client, made once per process, must meet the one S3 server of this file.
describe("Batches within Feishu's rate limits", () => {
  const env = useMirrorEnvironment({ feishu: { rateLimits: true } });

  /**
   * The downloads the sandbox saw, and how fully they used the limit: the calls per second in
   * the sandbox's own one-second windows, leaving out the first and the last (partly used) ones.
   */
  function shareOfLimit(limit: number, endpoint?: string): { calls: number; rateLimited: number; share: number } {
    const downloads = env.feishu.requests.filter((request) =>
      endpoint === undefined ? request.endpoint !== 'token' : request.endpoint === endpoint,
    );
    const windows = downloads.map((request) => Math.floor(request.at / 1000));
    const first = Math.min(...windows);
    const last = Math.max(...windows);
    const inside = windows.filter((window) => window > first && window < last).length;
    return {
      calls: downloads.length,
      rateLimited: downloads.filter((request) => request.status === 429).length,
      share: inside / ((last - first - 1) * limit),
    };
  }

  /** When the sandbox received each im download. */
  const imArrivals = (): number[] =>
    env.feishu.requests.filter((request) => request.endpoint === 'im').map((request) => request.at);

  /** The most calls to one endpoint in any of the sandbox's one-second windows. */
  function busiestSecond(endpoint: string): number {
    const counts = new Map<number, number>();
    for (const request of env.feishu.requests.filter((r) => r.endpoint === endpoint)) {
      const window = Math.floor(request.at / 1000);
      counts.set(window, (counts.get(window) ?? 0) + 1);
    }
    return Math.max(0, ...counts.values());
  }

  it('runs 400 im images at no less than 90 % of 1000/min and never draws a rate-limit answer', async () => {
    // Prepare
    const items = Array.from({ length: 400 }, (_, i) => ({ imageKey: `img_v3_batch_${i}` }));

    // Act
    const answer = (await imImage({ items }, lambdaContext(120_000))) as BatchAnswer;

    // Assess
    const measured = shareOfLimit(1000 / 60);
    expect(answer).toMatchObject({ succeeded: 400, failed: 0 });
    expect(measured).toMatchObject({ calls: 400, rateLimited: 0 });
    expect(measured.share).toBeGreaterThanOrEqual(0.9);
    // Paced for the minute, not in bursts of 50 a second: about 16 in any second, wherever it starts.
    expect(busiestSpan(imArrivals(), 1000)).toBeLessThanOrEqual(25);
  }, 90_000);

  it('runs whiteboard thumbnails at no less than 85 % of 10/s and never draws a rate-limit answer', async () => {
    // Prepare
    const items = Array.from({ length: 81 }, (_, i) => ({ whiteboardId: `wb_batch_${i}` }));

    // Act
    const answer = (await whiteboardImage({ items }, lambdaContext())) as BatchAnswer;

    // Assess
    const measured = shareOfLimit(10);
    expect(answer).toMatchObject({ succeeded: 81, failed: 0 });
    expect(measured).toMatchObject({ calls: 81, rateLimited: 0 });
    expect(measured.share).toBeGreaterThanOrEqual(0.85);
  }, 30_000);

  it('runs document media at no less than 85 % of 5/s and never draws a rate-limit answer', async () => {
    // Prepare
    const items = Array.from({ length: 41 }, (_, i) => ({ fileToken: `boxcn_batch_${i}` }));

    // Act
    const answer = (await driveMedia({ items }, lambdaContext())) as BatchAnswer;

    // Assess
    const measured = shareOfLimit(5);
    expect(answer).toMatchObject({ succeeded: 41, failed: 0 });
    expect(measured).toMatchObject({ calls: 41, rateLimited: 0 });
    expect(measured.share).toBeGreaterThanOrEqual(0.85);
  }, 30_000);

  it("keeps a document's blocks, media and whiteboards each within its own limit, all at once", async () => {
    // Act
    const answer = (await docxImages({ documentId: 'docgen-16-21-2600' }, lambdaContext())) as FullDocumentAnswer;

    // Assess
    expect(answer).toMatchObject({ succeeded: 37, failed: 0 });
    expect(env.feishu.requests.filter((request) => request.status === 429)).toEqual([]);
    const pages = shareOfLimit(5, 'docxBlocks');
    expect(pages.calls).toBe(6);
    expect(busiestSecond('driveMedia')).toBeLessThanOrEqual(5);
    expect(busiestSecond('whiteboard')).toBeLessThanOrEqual(10);
    const times = (endpoint: string) =>
      env.feishu.requests.filter((request) => request.endpoint === endpoint).map((request) => request.at);
    const [media, boards] = [times('driveMedia'), times('whiteboard')];
    // The media and the whiteboards run at once, not one kind after the other: each kind starts
    // before the other's last call (16 media at 5/s take over 3 s, 21 whiteboards at 10/s 2 s).
    expect(Math.min(...boards)).toBeLessThan(Math.max(...media));
    expect(Math.min(...media)).toBeLessThan(Math.max(...boards));
  }, 30_000);
});
