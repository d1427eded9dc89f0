import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { linesWrittenBy } from '../logCapture/logLinesOf';

/** One metric of an EMF line, as CloudWatch files it: namespace, name, unit, dimensions and values. */
export interface EmittedMetric {
  namespace: string;
  name: string;
  unit: string;
  /** Each dimension the line names for it, with its value (`service` among them). */
  dimensions: Record<string, string>;
  values: number[];
}

/** The key only an EMF line has: the metadata CloudWatch reads the metrics from. */
const EMF_MARK = '"CloudWatchMetrics":';

/** Whether a line of output is one of the embedded metric format. */
export function isEmfLine(line: string): boolean {
  return line.includes(EMF_MARK);
}

/**
 * The metrics of one EMF line, read as CloudWatch reads them: each name in
 * `_aws.CloudWatchMetrics[].Metrics` takes its value (or array of values) from the line's key of
 * that name, and each dimension named in `Dimensions` its value from its own key.
 *
 * No kept package parses EMF: Powertools' test utilities (@aws-lambda-powertools/testing-utils)
 * are not published, and aws-embedded-metrics only writes it. So this reads the line through
 * the type Powertools Metrics itself serializes (`EmfOutput`, its public types), the smallest
 * read of the spec's fields, rather than a parser of our own.
 *
 * @example
 * metricsOfLine(JSON.parse(line) as EmfOutput); // [{ name: 'ImagesMirrored', values: [1], … }]
 */
export function metricsOfLine(line: EmfOutput): EmittedMetric[] {
  return line._aws.CloudWatchMetrics.flatMap(({ Namespace, Dimensions, Metrics }) => {
    const dimensions = Object.fromEntries(Dimensions.flat().map((name) => [name, String(line[name])]));
    return Metrics.map((metric) => ({
      namespace: Namespace,
      name: metric.Name,
      unit: metric.Unit,
      dimensions,
      values: [line[metric.Name]].flat() as number[],
    }));
  });
}

/**
 * Runs `act` and returns, beside its outcome, the EMF lines written meanwhile and their metrics.
 *
 * @example
 * const { metrics } = await emfMetricsOf(() => imImage({ imageKey: 'img_v3_01' }, lambdaContext()));
 */
export async function emfMetricsOf<T>(
  act: () => Promise<T>,
): Promise<{ outcome: T; lines: EmfOutput[]; metrics: EmittedMetric[] }> {
  const { outcome, lines } = await linesWrittenBy<T, EmfOutput>(act, isEmfLine);
  return { outcome, lines, metrics: lines.flatMap(metricsOfLine) };
}

/**
 * The sum of a metric's values over the lines, for the dimensions given (others may differ),
 * or undefined when no line holds it.
 *
 * @example
 * sumOf(metrics, 'ImagesMirrored', { kind: 'im' }); // 1
 */
export function sumOf(
  metrics: readonly EmittedMetric[],
  name: string,
  dimensions: Record<string, string> = {},
): number | undefined {
  const found = metrics.filter(
    (metric) =>
      metric.name === name && Object.entries(dimensions).every(([key, value]) => metric.dimensions[key] === value),
  );
  return found.length === 0 ? undefined : found.flatMap((metric) => metric.values).reduce((a, b) => a + b, 0);
}

const UNIT_SHORT: Readonly<Record<string, string>> = { Count: '', Bytes: ' B', Milliseconds: ' ms' };

/**
 * A metric in a short readable form: its name, its dimensions but `service`, its values and unit.
 *
 * @example
 * describeMetric(metric); // 'FeishuLatency{kind=im} 12, 15 ms'
 */
export function describeMetric(metric: EmittedMetric): string {
  const dimensions = Object.entries(metric.dimensions)
    .filter(([name]) => name !== 'service')
    .map(([name, value]) => `${name}=${value}`);
  const shown = dimensions.length === 0 ? '' : `{${dimensions.join(',')}}`;
  return `${metric.name}${shown} ${metric.values.join(', ')}${UNIT_SHORT[metric.unit] ?? ` ${metric.unit}`}`;
}
