import { MAX_SAMPLED_VALUES, METRIC_DESCRIPTIONS, type MetricName, type MetricUnitName } from './metricDescriptions';

/** The dimensions a metric's description names, beside `service`: `{ kind: 'im' }`, `{ code: 'NOT_FOUND' }`, `{}`. */
export type DimensionsOf<N extends MetricName> = Record<(typeof METRIC_DESCRIPTIONS)[N]['dimensions'][number], string>;

/** The metrics of one set of dimensions, as they are published: one line of the log. */
export interface TalliedGroup {
  dimensions: Readonly<Record<string, string>>;
  metrics: { name: MetricName; unit: MetricUnitName; values: number[] }[];
}

interface Tallied {
  name: MetricName;
  dimensions: Record<string, string>;
  values: number[];
  /** How many values were offered, of which `values` keeps a uniform sample. */
  seen: number;
}

/**
 * The metrics of one invocation, summed as the work goes and published once at its end: a
 * batch of 1,000 images is one ImagesMirrored of 1,000, not 1,000 lines. A metric of times
 * keeps its values, at most MAX_SAMPLED_VALUES (Powertools flushes a metric's line the moment
 * it holds 100 values, and a line per invocation is the point): beyond, a uniform sample
 * (reservoir sampling), so its percentiles stay those of all the calls. `random` is passed in
 * for tests.
 *
 * @example
 * const tally = new MetricTally();
 * tally.add('ImagesMirrored', 1, { kind: 'im' });
 * tally.record('FeishuLatency', 84, { kind: 'im' });
 */
export class MetricTally {
  readonly #tallied = new Map<string, Tallied>();
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** Adds `amount` to a count (or bytes): one value per invocation. */
  add<N extends MetricName>(name: N, amount: number, dimensions: DimensionsOf<N>): void {
    const tallied = this.#of(name, dimensions);
    tallied.values[0] = (tallied.values[0] ?? 0) + amount;
    tallied.seen += 1;
  }

  /** Keeps one value of a metric of times (a sample of them past MAX_SAMPLED_VALUES). */
  record<N extends MetricName>(name: N, value: number, dimensions: DimensionsOf<N>): void {
    const tallied = this.#of(name, dimensions);
    tallied.seen += 1;
    if (tallied.values.length < MAX_SAMPLED_VALUES) tallied.values.push(value);
    else {
      const slot = Math.floor(this.#random() * tallied.seen);
      if (slot < MAX_SAMPLED_VALUES) tallied.values[slot] = value;
    }
  }

  /** Whether anything was counted. */
  get empty(): boolean {
    return this.#tallied.size === 0;
  }

  /** What was counted, grouped by dimensions (the group without any first), each metric with its unit. */
  groups(): TalliedGroup[] {
    const groups = new Map<string, TalliedGroup>([['{}', { dimensions: {}, metrics: [] }]]);
    for (const { name, dimensions, values } of this.#tallied.values()) {
      const key = JSON.stringify(dimensions);
      const group = groups.get(key) ?? { dimensions, metrics: [] };
      groups.set(key, group);
      group.metrics.push({ name, unit: METRIC_DESCRIPTIONS[name].unit, values });
    }
    return [...groups.values()].filter((group) => group.metrics.length > 0);
  }

  #of(name: MetricName, dimensions: Record<string, string>): Tallied {
    const key = `${name}|${JSON.stringify(dimensions)}`;
    const tallied = this.#tallied.get(key) ?? { name, dimensions, values: [], seen: 0 };
    this.#tallied.set(key, tallied);
    return tallied;
  }
}
