/** The dimensions a metric is emitted with, beside `service` (the function's name, e.g. `imImage`). */
export type MetricDimensionName = 'kind' | 'code' | 'function_name';

/** The CloudWatch units the metrics use. */
export type MetricUnitName = 'Count' | 'Bytes' | 'Milliseconds';

/** One metric, as the functions emit it and as alarms and dashboards read it. */
export interface MetricDescription {
  unit: MetricUnitName;
  /**
   * Its dimensions beside `service`: `kind` is the Feishu endpoint (`im`, `docx`, `drive-media`, …), `code` an
   * error code, `function_name` the Lambda function's name.
   */
  dimensions: readonly MetricDimensionName[];
  /** What one unit of it counts, and when it is emitted. */
  counts: string;
}

/** The namespace of every metric of the product. */
export const METRICS_NAMESPACE = 'FeishuImageMirror';

/** The most values one metric holds in an invocation's line (see MetricTally). */
export const MAX_SAMPLED_VALUES = 99;

/**
 * Every metric the functions emit, the one description of each: its unit, its dimensions, and
 * what it counts. Each is emitted at most once per invocation, in the lines written as the
 * invocation ends (failed or not); Powertools writes ColdStart itself.
 *
 * @example
 * METRIC_DESCRIPTIONS.ImagesMirrored.unit; // 'Count'
 */
export const METRIC_DESCRIPTIONS = {
  ColdStart: {
    unit: 'Count',
    dimensions: ['function_name'],
    counts:
      "an execution environment's first invocation, when Lambda started it on demand (none for provisioned " +
      'concurrency or SnapStart); written by Powertools',
  },
  ImagesMirrored: {
    unit: 'Count',
    dimensions: ['kind'],
    counts: 'images downloaded from Feishu and stored in S3 (a cache miss, or a refresh)',
  },
  CacheHits: {
    unit: 'Count',
    dimensions: ['kind'],
    counts: 'images answered from the copy already in S3, or from a download of the same image in progress',
  },
  BytesStored: {
    unit: 'Bytes',
    dimensions: ['kind'],
    counts: 'bytes of the images stored in S3',
  },
  FeishuCalls: {
    unit: 'Count',
    dimensions: ['kind'],
    counts: 'requests sent to a Feishu API, each retry one more (tenant token requests not included)',
  },
  FeishuLatency: {
    unit: 'Milliseconds',
    dimensions: ['kind'],
    counts:
      "time from sending a Feishu request to its answer's headers; at most " +
      `${MAX_SAMPLED_VALUES} values an invocation, a uniform sample of its calls beyond`,
  },
  FeishuRateLimited: {
    unit: 'Count',
    dimensions: ['kind'],
    counts: 'Feishu answers saying the app is rate-limited or a quota is used up (HTTP 429, code 99991400, …)',
  },
  SharedBudgetWaits: {
    unit: 'Count',
    dimensions: ['kind'],
    counts: 'calls that waited 1 ms or more for a slot of the shared rate budget (RATE_LIMIT_TABLE)',
  },
  SharedBudgetWaitTime: {
    unit: 'Milliseconds',
    dimensions: ['kind'],
    counts:
      'how long each of those calls waited; ' +
      `at most ${MAX_SAMPLED_VALUES} values an invocation, a uniform sample beyond`,
  },
  SharedBudgetFallbacks: {
    unit: 'Count',
    dimensions: [],
    counts:
      'invocations that gave the shared rate budget up for their own pacing, the table having failed, throttled ' +
      "or not answered in time (the warning 'shared rate budget unavailable')",
  },
  DailyQuotaUsed: {
    unit: 'Count',
    dimensions: ['kind'],
    counts:
      "calls counted against an endpoint's daily quota (document media); their sum over a Feishu day is the quota used",
  },
  Errors: {
    unit: 'Count',
    dimensions: ['code'],
    counts: 'failures answered or logged, by error code: a request, a batch item, a document or its image, a message',
  },
  BatchItemsFailed: {
    unit: 'Count',
    dimensions: [],
    counts: "items of a batch (a payload's, a manifest's, a schedule's, an SQS message's) answered with an error",
  },
  EventsReceived: {
    unit: 'Count',
    dimensions: [],
    counts: "requests to Feishu's event URL (feishuEvents), proven or not",
  },
  EventsRefused: {
    unit: 'Count',
    dimensions: ['code'],
    counts:
      "requests to Feishu's event URL refused, by error code: forged, replayed, malformed or too large " +
      '(UNAUTHORIZED, INVALID_REQUEST, PAYLOAD_TOO_LARGE), or not queued (QUEUE_ERROR, MISCONFIGURED)',
  },
  ImagesQueued: {
    unit: 'Count',
    dimensions: [],
    counts: "jobs queued for messageImage from the images of chat messages Feishu's events told of",
  },
  ImageEventsUnpublished: {
    unit: 'Count',
    dimensions: [],
    counts:
      "'Image Mirrored' events EventBridge did not take after the retries (EVENT_BUS_NAME); logged as the warning " +
      "'image events not published'",
  },
} as const satisfies Record<string, MetricDescription>;

/** The name of a metric the functions emit. */
export type MetricName = keyof typeof METRIC_DESCRIPTIONS;
