import { Metrics } from '@aws-lambda-powertools/metrics';
import { FunctionMetrics } from '../../../lib/metrics/FunctionMetrics';
import { MetricTally } from '../../../lib/metrics/MetricTally';
import { emfMetricsOf, sumOf } from '../../support/emf/readEmf';
import { logLinesOf } from '../../support/logCapture/logLinesOf';

function tallyOf(cacheHits: number): MetricTally {
  const tally = new MetricTally();
  tally.add('CacheHits', cacheHits, { kind: 'im' });
  return tally;
}

/** Powertools failing to write (stdout closed, say) for the next `times` publications. */
function failWrites(times: number): void {
  const publish = jest.spyOn(Metrics.prototype, 'publishStoredMetrics');
  for (let i = 0; i < times; i += 1) {
    publish.mockImplementationOnce(() => {
      throw new Error('write EPIPE');
    });
  }
}

describe('Class: FunctionMetrics', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes one EMF line for each set of dimensions, under the namespace and the function as service', async () => {
    // Prepare
    const metrics = new FunctionMetrics('imImage');
    const tally = new MetricTally();
    tally.add('ImagesMirrored', 3, { kind: 'im' });
    tally.add('BatchItemsFailed', 1, {});

    // Act
    const { lines, metrics: emitted } = await emfMetricsOf(async () => metrics.publish(tally));

    // Assess
    expect(lines).toHaveLength(2);
    expect(emitted).toEqual([
      {
        namespace: 'FeishuImageMirror',
        name: 'BatchItemsFailed',
        unit: 'Count',
        dimensions: { service: 'imImage' },
        values: [1],
      },
      {
        namespace: 'FeishuImageMirror',
        name: 'ImagesMirrored',
        unit: 'Count',
        dimensions: { service: 'imImage', kind: 'im' },
        values: [3],
      },
    ]);
  });

  it("names the invocation's request id in each of its lines", async () => {
    // Prepare
    const metrics = new FunctionMetrics('imImage');
    const tally = tallyOf(1);
    tally.add('BatchItemsFailed', 0, {});

    // Act
    const { lines } = await emfMetricsOf(async () => metrics.publish(tally, 'c6af9ac6-7b61-11e6-9a41-93e812345678'));

    // Assess
    expect(lines.map((line) => line.requestId)).toEqual([
      'c6af9ac6-7b61-11e6-9a41-93e812345678',
      'c6af9ac6-7b61-11e6-9a41-93e812345678',
    ]);
  });

  it('does not throw when Powertools fails to write, and warns once', async () => {
    // Prepare
    const metrics = new FunctionMetrics('imImage');
    failWrites(2);

    // Act
    const { lines } = await logLinesOf(async () => {
      metrics.publish(tallyOf(1));
      metrics.publish(tallyOf(1));
    });

    // Assess
    expect(lines.filter((line) => line.message === 'metrics not published')).toEqual([
      expect.objectContaining({ level: 'WARN', cause: 'Error: write EPIPE' }),
    ]);
  });

  it('leaves nothing of a tally it failed to write to the next invocation', async () => {
    // Prepare
    const metrics = new FunctionMetrics('imImage');
    failWrites(1);
    metrics.publish(tallyOf(5));

    // Act
    const { metrics: emitted } = await emfMetricsOf(async () => metrics.publish(tallyOf(1)));

    // Assess
    expect(sumOf(emitted, 'CacheHits')).toBe(1);
  });
});
