import { handler as docxImages } from '../../functions/docxImages';
import { handler as imImage } from '../../functions/imImage';
import type { BatchAnswer } from '../../lib/batch/BatchAnswer';
import { im } from '../../lib/endpoints';
import { containerClients } from '../../lib/clients/containerClients';
import { createHandler } from '../../lib/handler/createHandler';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { emfMetricsOf, sumOf } from '../support/emf/readEmf';
import { lambdaContext } from '../support/lambdaContext';
import { imRestEvent } from '../support/loadEvent';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

const ignoreFailure = (): undefined => undefined;
const IM = { service: 'imImage', kind: 'im' };

describe('The metrics a function writes in its log (CloudWatch embedded metric format)', () => {
  const env = useMirrorEnvironment();

  it("counts a miss: one image mirrored, its bytes, one Feishu call and that call's latency", async () => {
    // Act
    const { outcome, metrics } = await emfMetricsOf(() => imImage({ imageKey: 'img_metrics_miss' }, lambdaContext()));

    // Assess
    const answer = outcome as MirrorAnswer;
    expect(sumOf(metrics, 'ImagesMirrored', IM)).toBe(1);
    expect(sumOf(metrics, 'BytesStored', IM)).toBe(answer.size);
    expect(sumOf(metrics, 'FeishuCalls', IM)).toBe(1);
    expect(metrics.find((metric) => metric.name === 'FeishuLatency')).toMatchObject({
      namespace: 'FeishuImageMirror',
      unit: 'Milliseconds',
      dimensions: IM,
      values: [expect.any(Number)],
    });
    expect(sumOf(metrics, 'CacheHits')).toBeUndefined();
  });

  it('counts a hit: one cache hit, no image mirrored and no Feishu call', async () => {
    // Prepare
    await imImage({ imageKey: 'img_metrics_hit' }, lambdaContext());

    // Act
    const { metrics } = await emfMetricsOf(() => imImage({ imageKey: 'img_metrics_hit' }, lambdaContext()));

    // Assess
    expect(sumOf(metrics, 'CacheHits', IM)).toBe(1);
    expect(sumOf(metrics, 'ImagesMirrored')).toBeUndefined();
    expect(sumOf(metrics, 'FeishuCalls')).toBeUndefined();
  });

  it('counts a failed invocation under its error code, flushed though the handler throws', async () => {
    // Act
    const { metrics } = await emfMetricsOf(() =>
      imImage({ imageKey: 'err-234005' }, lambdaContext()).catch(ignoreFailure),
    );

    // Assess
    expect(sumOf(metrics, 'Errors', { service: 'imImage', code: 'NOT_FOUND' })).toBe(1);
    expect(sumOf(metrics, 'FeishuCalls', IM)).toBe(1);
  });

  it('counts the error of a failed HTTP request, answered 404', async () => {
    // Prepare
    const event = imRestEvent('err-234005');

    // Act
    const { metrics } = await emfMetricsOf(() => imImage(event, lambdaContext()));

    // Assess
    expect(sumOf(metrics, 'Errors', { code: 'NOT_FOUND' })).toBe(1);
  });

  it('counts a rate-limit answer and the retry it took as two calls with two latencies', async () => {
    // Prepare
    env.feishu.fault({ endpoint: 'im', kind: { type: 'rateLimit', resetSeconds: 1 } });

    // Act
    const { metrics } = await emfMetricsOf(() => imImage({ imageKey: 'img_metrics_limited' }, lambdaContext(10_000)));

    // Assess
    expect(sumOf(metrics, 'FeishuRateLimited', IM)).toBe(1);
    expect(sumOf(metrics, 'FeishuCalls', IM)).toBe(2);
    expect(metrics.find((metric) => metric.name === 'FeishuLatency')?.values).toHaveLength(2);
    expect(sumOf(metrics, 'ImagesMirrored', IM)).toBe(1);
  });

  it('counts a batch once: its images as one value, its failed items, and their errors by code', async () => {
    // Prepare
    const items = [{ imageKey: 'img_metrics_b1' }, { imageKey: 'img_metrics_b2' }, { imageKey: 'err-234005' }];

    // Act
    const { outcome, lines, metrics } = await emfMetricsOf(() => imImage({ items }, lambdaContext()));

    // Assess
    expect(outcome as BatchAnswer).toMatchObject({ succeeded: 2, failed: 1 });
    expect(metrics.filter((metric) => metric.name === 'ImagesMirrored')).toEqual([
      expect.objectContaining({ dimensions: IM, values: [2] }),
    ]);
    expect(sumOf(metrics, 'BatchItemsFailed', { service: 'imImage' })).toBe(1);
    expect(sumOf(metrics, 'Errors', { code: 'NOT_FOUND' })).toBe(1);
    // One line for `service` alone, one for kind im, one for the error code.
    expect(lines).toHaveLength(3);
  });

  it("counts a document's media against the daily quota, each kind of call under its own kind", async () => {
    // Act
    const { metrics } = await emfMetricsOf(() =>
      docxImages({ documentId: 'doxcnQ8dUQhV1vcTdEYZhzBbWkb' }, lambdaContext()),
    );

    // Assess
    const docx = { service: 'docxImages' };
    expect(sumOf(metrics, 'DailyQuotaUsed', { ...docx, kind: 'drive-media' })).toBe(3);
    expect(sumOf(metrics, 'ImagesMirrored', { ...docx, kind: 'drive-media' })).toBe(3);
    expect(sumOf(metrics, 'ImagesMirrored', { ...docx, kind: 'whiteboard' })).toBe(1);
    expect(sumOf(metrics, 'FeishuCalls', { ...docx, kind: 'docx' })).toBe(1);
    expect(sumOf(metrics, 'DailyQuotaUsed', { kind: 'whiteboard' })).toBeUndefined();
  });

  it("writes ColdStart on an execution environment's first invocation only", async () => {
    // Prepare
    // As Lambda sets it for an environment started on demand (not provisioned, not SnapStart).
    env.setEnv({ AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' });
    const handler = createHandler(im);

    // Act
    const first = await emfMetricsOf(() => handler({ imageKey: 'img_metrics_cold' }, lambdaContext()));
    const second = await emfMetricsOf(() => handler({ imageKey: 'img_metrics_cold' }, lambdaContext()));

    // Assess
    expect(first.metrics.filter((metric) => metric.name === 'ColdStart')).toEqual([
      expect.objectContaining({ values: [1], dimensions: expect.objectContaining({ service: 'imImage' }) }),
    ]);
    expect(sumOf(second.metrics, 'ColdStart')).toBeUndefined();
  });

  it('counts an invocation that gave the shared rate budget up as one SharedBudgetFallbacks', async () => {
    // Prepare
    env.setEnv({ RATE_LIMIT_TABLE: 'feishu-image-mirror-test-rate-limits' });
    const unreachable = async (): Promise<never> => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { name: 'TimeoutError' });
    };
    const handler = createHandler(im, {
      ...containerClients(),
      counters: () => ({ add: unreachable, move: unreachable }),
    });

    // Act
    const { outcome, metrics } = await emfMetricsOf(() =>
      handler({ imageKey: 'img_metrics_fallback' }, lambdaContext()),
    );

    // Assess
    expect(outcome).toMatchObject({ url: expect.any(String) });
    expect(sumOf(metrics, 'SharedBudgetFallbacks', { service: 'imImage' })).toBe(1);
  });
});
