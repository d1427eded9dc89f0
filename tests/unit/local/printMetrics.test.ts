import { PassThrough } from 'node:stream';
import { FunctionMetrics } from '../../../lib/metrics/FunctionMetrics';
import { MetricTally } from '../../../lib/metrics/MetricTally';
import { printMetrics } from '../../local/printMetrics';
import { emfMetricsOf } from '../../support/emf/readEmf';

/** The EMF lines Powertools writes for an invocation of imImage that hit the cache `hits` times. */
async function emfLinesOf(metrics: FunctionMetrics, requestId: string, hits: number): Promise<string[]> {
  const tally = new MetricTally();
  tally.add('CacheHits', hits, { kind: 'im' });
  tally.add('BatchItemsFailed', 0, {});
  const { lines } = await emfMetricsOf(async () => metrics.publish(tally, requestId));
  return lines.map((line) => JSON.stringify(line));
}

/** What printMetrics prints of `input`, once the stream ended. */
async function printed(input: readonly string[]): Promise<string[]> {
  const output = new PassThrough();
  const written: string[] = [];
  const ended = new Promise((resolve) => output.once('end', resolve));
  printMetrics(output, (line) => written.push(line));
  output.end(`${input.join('\n')}\n`);
  await ended;
  await new Promise((resolve) => setImmediate(resolve));
  return written;
}

describe('Function: printMetrics (npm start)', () => {
  it("prints a line of each request's metrics in place of its EMF lines, however close the requests", async () => {
    // Prepare
    const metrics = new FunctionMetrics('imImage');
    const first = await emfLinesOf(metrics, 'c6af9ac6-7b61-11e6-9a41-000000000001', 1);
    const second = await emfLinesOf(metrics, 'd2b0c7e1-7b61-11e6-9a41-000000000002', 2);

    // Act
    const lines = await printed(['(λ: imImage) RequestId: c6af9ac6 Duration: 12 ms', ...first, ...second]);

    // Assess
    expect(lines).toEqual([
      '(λ: imImage) RequestId: c6af9ac6 Duration: 12 ms',
      '  metrics (imImage, request c6af9ac6): BatchItemsFailed 0 · CacheHits{kind=im} 1',
      '  metrics (imImage, request d2b0c7e1): BatchItemsFailed 0 · CacheHits{kind=im} 2',
    ]);
  });
});
