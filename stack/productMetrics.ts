import type { DimensionsOf } from '../lib/metrics/MetricTally';
import { METRIC_DESCRIPTIONS, METRICS_NAMESPACE, type MetricName } from '../lib/metrics/metricDescriptions';

/** One of the product's metrics as an alarm or a dashboard names it: in its namespace, with all its dimensions. */
export interface ProductMetric {
  namespace: typeof METRICS_NAMESPACE;
  name: MetricName;
  /** `service` first (the function's name), then the description's own dimensions, in its order. */
  dimensions: [string, string][];
}

/**
 * A metric the functions emit, as `service` (a function's name, which Powertools writes as
 * `service`) emits it with `dimensions`: the only way an alarm or the dashboard names one of
 * the product's metrics, so that each names it as lib/metrics/metricDescriptions.ts describes
 * it.
 *
 * @example
 * productMetric('FeishuRateLimited', 'imImage', { kind: 'im' });
 * // { namespace: 'FeishuImageMirror', name: 'FeishuRateLimited',
 * //   dimensions: [['service', 'imImage'], ['kind', 'im']] }
 */
export function productMetric<N extends MetricName>(
  name: N,
  service: string,
  dimensions: DimensionsOf<N>,
): ProductMetric {
  const description = METRIC_DESCRIPTIONS[name];
  const own = description.dimensions as readonly string[];
  const values = dimensions as Record<string, string>;
  return {
    namespace: METRICS_NAMESPACE,
    name,
    dimensions: [['service', service], ...own.map((dimension): [string, string] => [dimension, values[dimension]!])],
  };
}

/** The schema a `SEARCH` of `name` names: its namespace, `service` and the description's dimensions. */
export function searchSchema(name: MetricName): string {
  return `{${[METRICS_NAMESPACE, 'service', ...METRIC_DESCRIPTIONS[name].dimensions].join(',')}}`;
}
