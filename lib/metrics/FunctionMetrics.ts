import { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from '../runtime/logger';
import { METRICS_NAMESPACE } from './metricDescriptions';
import type { MetricTally } from './MetricTally';

/**
 * A function's metrics for its execution environment: Powertools Metrics under the namespace
 * FeishuImageMirror, with `service` the function's name. `publish` writes an invocation's tally
 * as CloudWatch embedded metric format lines on stdout (no call to CloudWatch): one line for the
 * metrics of `service` alone and one for each other set of dimensions (a `kind`, a `code`), since
 * every metric of a line gets all its dimensions; and on the environment's first invocation
 * ColdStart. Each line names the invocation's `requestId` (metadata, no dimension), so a query
 * finds the metrics of a request and `npm start` tells one request's lines from the next.
 * Publishing never fails an invocation: a throw is logged, as a warning, once.
 *
 * @example
 * const metrics = new FunctionMetrics('imImage');
 * try { … } finally { metrics.publish(invocation.metrics, context?.awsRequestId); }
 */
export class FunctionMetrics {
  readonly #serviceName: string;
  readonly #main: Metrics;
  /** One Metrics per other set of dimensions, kept for the environment like the main one. */
  readonly #byDimensions = new Map<string, Metrics>();
  #warned = false;

  constructor(serviceName: string) {
    this.#serviceName = serviceName;
    this.#main = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  }

  /** Writes the tally's lines, and ColdStart if this is the environment's first invocation. */
  publish(tally: MetricTally, requestId?: string): void {
    try {
      this.#main.captureColdStartMetric(this.#serviceName);
      for (const group of tally.groups()) {
        const metrics = this.#metricsOf(group.dimensions);
        for (const metric of group.metrics) {
          for (const value of metric.values) metrics.addMetric(metric.name, metric.unit, value);
        }
        if (requestId !== undefined) metrics.addMetadata('requestId', requestId);
        metrics.publishStoredMetrics();
      }
    } catch (error) {
      // What was stored before the throw must not reach the next invocation's lines.
      for (const metrics of [this.#main, ...this.#byDimensions.values()]) {
        metrics.clearMetrics();
        metrics.clearMetadata();
      }
      if (!this.#warned) logger.warn('metrics not published', { cause: String(error) });
      this.#warned = true;
    }
  }

  #metricsOf(dimensions: Readonly<Record<string, string>>): Metrics {
    const key = JSON.stringify(dimensions);
    if (key === '{}') return this.#main;
    let metrics = this.#byDimensions.get(key);
    if (metrics === undefined) {
      metrics = new Metrics({
        namespace: METRICS_NAMESPACE,
        serviceName: this.#serviceName,
        defaultDimensions: dimensions,
      });
      this.#byDimensions.set(key, metrics);
    }
    return metrics;
  }
}
