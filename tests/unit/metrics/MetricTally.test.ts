import { MAX_SAMPLED_VALUES } from '../../../lib/metrics/metricDescriptions';
import { MetricTally } from '../../../lib/metrics/MetricTally';

describe('Class: MetricTally', () => {
  it('sums the counts of a metric and dimensions into one value', () => {
    // Prepare
    const tally = new MetricTally();

    // Act
    for (let i = 0; i < 1000; i += 1) tally.add('ImagesMirrored', 1, { kind: 'im' });

    // Assess
    expect(tally.groups()).toEqual([
      { dimensions: { kind: 'im' }, metrics: [{ name: 'ImagesMirrored', unit: 'Count', values: [1000] }] },
    ]);
  });

  it('groups the metrics by their dimensions, those of service alone first', () => {
    // Prepare
    const tally = new MetricTally();

    // Act
    tally.add('CacheHits', 1, { kind: 'im' });
    tally.add('Errors', 2, { code: 'NOT_FOUND' });
    tally.add('BatchItemsFailed', 2, {});

    // Assess
    expect(tally.groups().map((group) => group.dimensions)).toEqual([{}, { kind: 'im' }, { code: 'NOT_FOUND' }]);
  });

  it('keeps every value of a metric of times up to its most', () => {
    // Prepare
    const tally = new MetricTally();

    // Act
    for (let i = 0; i < MAX_SAMPLED_VALUES; i += 1) tally.record('FeishuLatency', i, { kind: 'im' });

    // Assess
    expect(tally.groups()[0]?.metrics[0]?.values).toEqual(Array.from({ length: MAX_SAMPLED_VALUES }, (_, i) => i));
  });

  it('keeps a sample of the most values of a metric of times, each one of those recorded', () => {
    // Prepare
    const tally = new MetricTally();

    // Act
    for (let i = 0; i < 1000; i += 1) tally.record('FeishuLatency', i, { kind: 'im' });

    // Assess
    const values = tally.groups()[0]?.metrics[0]?.values ?? [];
    expect(values).toHaveLength(MAX_SAMPLED_VALUES);
    expect(new Set(values).size).toBe(MAX_SAMPLED_VALUES);
    expect(values.every((value) => value >= 0 && value < 1000)).toBe(true);
  });

  it('replaces a kept value by a later one as often as the sample says (reservoir sampling)', () => {
    // Prepare
    const tally = new MetricTally(() => 0);
    for (let i = 0; i < MAX_SAMPLED_VALUES; i += 1) tally.record('FeishuLatency', i, { kind: 'im' });

    // Act
    tally.record('FeishuLatency', 5000, { kind: 'im' });

    // Assess
    expect(tally.groups()[0]?.metrics[0]?.values[0]).toBe(5000);
  });

  it('is empty until something is counted', () => {
    // Prepare
    const tally = new MetricTally();

    // Assess
    expect(tally.empty).toBe(true);
    expect(tally.groups()).toEqual([]);
  });
});
