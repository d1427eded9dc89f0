import { calledEndpoints, type EndpointDescription, type ReceiverDescription } from '../lib/endpoints';
import type { CloudFormationResource } from './generateStack';
import { type ProductMetric, productMetric } from './productMetrics';
import { logicalIds } from './logicalIds';

/** The alarms' settings (README, "Settings"): each threshold, and the address told of them. */
export interface AlarmSettings {
  /** ALARM_EMAIL: an address subscribed to the alarms' topic at deploy; empty for none. */
  email: string;
  /** ALARM_FUNCTION_ERRORS: a function's failed invocations (AWS/Lambda Errors) in 5 minutes that alarm. */
  functionErrors: number;
  /** ALARM_FUNCTION_THROTTLES: a function's throttled invocations (AWS/Lambda Throttles) in 5 minutes that alarm. */
  functionThrottles: number;
  /** ALARM_RATE_LIMITED: Feishu's rate-limit answers to a function in 5 minutes that count as a breach. */
  rateLimited: number;
  /** ALARM_RATE_LIMITED_PERIODS: consecutive breaching periods of 5 minutes before the rate-limit alarm. */
  rateLimitedPeriods: number;
  /** ALARM_DAILY_QUOTA_PERCENT: the share of an endpoint's daily quota, summed over a UTC day, that alarms. */
  dailyQuotaPercent: number;
  /** ALARM_SHARED_BUDGET_FALLBACKS: a function's invocations in 5 minutes that fell back to their own pacing. */
  sharedBudgetFallbacks: number;
}

/** Each setting's name and default; an empty value means the default. */
export const ALARM_SETTINGS = {
  functionErrors: { name: 'ALARM_FUNCTION_ERRORS', default: 1, min: 1, max: 1_000_000 },
  functionThrottles: { name: 'ALARM_FUNCTION_THROTTLES', default: 1, min: 1, max: 1_000_000 },
  rateLimited: { name: 'ALARM_RATE_LIMITED', default: 5, min: 1, max: 1_000_000 },
  rateLimitedPeriods: { name: 'ALARM_RATE_LIMITED_PERIODS', default: 3, min: 1, max: 288 },
  dailyQuotaPercent: { name: 'ALARM_DAILY_QUOTA_PERCENT', default: 80, min: 1, max: 100 },
  sharedBudgetFallbacks: { name: 'ALARM_SHARED_BUDGET_FALLBACKS', default: 1, min: 1, max: 1_000_000 },
} as const satisfies Record<Exclude<keyof AlarmSettings, 'email'>, AlarmSetting>;

interface AlarmSetting {
  name: string;
  default: number;
  min: number;
  max: number;
}

/** The period of every alarm but the daily quota's. */
export const ALARM_PERIOD_SECONDS = 300;
/** The daily quota's period: CloudWatch's day, which runs from midnight UTC (Feishu's from midnight UTC+8). */
const DAY_SECONDS = 86_400;

/** The logical ids of what every alarm shares. */
export const ALARM_IDS = {
  topic: 'AlarmTopic',
  topicPolicy: 'AlarmTopicPolicy',
  subscription: 'AlarmEmailSubscription',
  emailCondition: 'AlarmEmailSet',
} as const;

/** The alarm parts of the stack: resources, the subscription's condition, and the topic as an output. */
export interface AlarmParts {
  Resources: Record<string, CloudFormationResource>;
  Conditions: Record<string, unknown>;
  Outputs: Record<string, { Value: unknown }>;
}

/**
 * The settings of the alarms, from the values serverless.yml holds (`custom.alarms`, each the
 * text of its environment variable), checked: a wrong one stops the packaging with its name.
 *
 * @example
 * readAlarmSettings({ email: '', rateLimited: '' }).rateLimited; // 5
 */
export function readAlarmSettings(values: Readonly<Record<string, unknown>> | undefined): AlarmSettings {
  const text = (key: string): string => String(values?.[key] ?? '').trim();
  const email = text('email');
  if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new Error(`the setting ALARM_EMAIL must be an email address or empty, not '${email}'`);
  }
  const numbers = Object.fromEntries(
    Object.entries(ALARM_SETTINGS).map(([key, setting]) => {
      const given = text(key);
      const value = given === '' ? setting.default : /^\d{1,7}$/.test(given) ? Number(given) : NaN;
      if (!(value >= setting.min && value <= setting.max)) {
        throw new Error(`the setting ${setting.name} must be a whole number from ${setting.min} to ${setting.max}`);
      }
      return [key, value];
    }),
  ) as Omit<AlarmSettings, 'email'>;
  return { email, ...numbers };
}

/**
 * The alarms of the stack, every one notifying one SNS topic, `AlarmTopic` (and telling it when
 * the alarm is over): per function, for an endpoint whose function is `imImage`,
 * - `ImImageDeadLetterAlarm`: any message visible in its dead-letter queue (AWS/SQS
 *   ApproximateNumberOfMessagesVisible, maximum over 5 minutes, above 0);
 * - `ImImageErrorsAlarm` and `ImImageThrottlesAlarm`: AWS/Lambda Errors and Throttles summed
 *   over 5 minutes, at or above ALARM_FUNCTION_ERRORS and ALARM_FUNCTION_THROTTLES;
 * - `ImImageRateLimitedAlarm`: Feishu's rate-limit answers (FeishuRateLimited, every endpoint the
 *   function calls) summed over 5 minutes, at or above ALARM_RATE_LIMITED in each of
 *   ALARM_RATE_LIMITED_PERIODS periods in a row;
 * - `ImImageSharedBudgetFallbacksAlarm`: invocations falling back to their own pacing
 *   (SharedBudgetFallbacks) summed over 5 minutes, at or above ALARM_SHARED_BUDGET_FALLBACKS;
 * and per endpoint with a daily quota (document media), `DriveMediaDailyQuotaAlarm`: its
 * DailyQuotaUsed summed over every function calling it and over a day, at or above
 * ALARM_DAILY_QUOTA_PERCENT of the description's `perDay`; and `ImageEventsUnpublishedAlarm`: the
 * `Image Mirrored` events EventBridge did not take (ImageEventsUnpublished, every function summed)
 * over 5 minutes, at or above ALARM_FUNCTION_ERRORS. CloudWatch's day is UTC, Feishu's
 * starts at midnight UTC+8 (16:00 UTC): the alarm sees the calls of a UTC day, which spans
 * the end of one Feishu day and the start of the next. Every alarm treats missing data as not
 * breaching: no data means no message, no failure, no call.
 *
 * The topic is not encrypted: CloudWatch cannot publish to a topic encrypted with the AWS-managed
 * key `alias/aws/sns`, whose key policy cannot be changed. Its policy lets this account's alarms
 * publish and refuses any request not sent over TLS. `ALARM_EMAIL`, when set, subscribes an
 * address (`AlarmEmailSubscription`, under the condition `AlarmEmailSet`), which must confirm.
 *
 * @example
 * alarmParts(ENDPOINTS, settings).Resources.ImImageDeadLetterAlarm.Properties.Threshold; // 0
 */
export function alarmParts(endpoints: readonly EndpointDescription<string>[], settings: AlarmSettings): AlarmParts {
  const parts: AlarmParts = {
    Resources: topicResources(settings),
    Conditions: { [ALARM_IDS.emailCondition]: { 'Fn::Not': [{ 'Fn::Equals': [settings.email, ''] }] } },
    Outputs: { AlarmTopicArn: { Value: { Ref: ALARM_IDS.topic } } },
  };
  for (const endpoint of endpoints) Object.assign(parts.Resources, functionAlarms(endpoint, settings));
  parts.Resources.ImageEventsUnpublishedAlarm = alarm({
    name: 'image-events-unpublished',
    description:
      `${settings.functionErrors} or more 'Image Mirrored' events in 5 minutes were not taken by EventBridge ` +
      '(EVENT_BUS_NAME): the images are stored, but what listens for them was not told ' +
      "(warning 'image events not published')",
    ...sum(
      endpoints.map((endpoint) => productMetric('ImageEventsUnpublished', endpoint.functionName, {})),
      ALARM_PERIOD_SECONDS,
    ),
    evaluationPeriods: 1,
    threshold: settings.functionErrors,
    comparison: 'GreaterThanOrEqualToThreshold',
  });
  for (const quota of endpoints.filter((endpoint) => endpoint.rateLimit.perDay !== undefined)) {
    const callers = endpoints.filter((endpoint) =>
      calledEndpoints(endpoint).some((called) => called.kind === quota.kind),
    );
    const threshold = Math.ceil((quota.rateLimit.perDay! * settings.dailyQuotaPercent) / 100);
    parts.Resources[`${logicalIds(quota).capitalised}DailyQuotaAlarm`] = alarm({
      name: `${quota.kind}-daily-quota`,
      description:
        `The ${quota.kind} endpoint's calls in a UTC day reached ${settings.dailyQuotaPercent} % of its daily quota ` +
        `(${threshold} of ${quota.rateLimit.perDay}); Feishu's day starts at 16:00 UTC, so this day spans two of its`,
      ...sum(
        callers.map((caller) => productMetric('DailyQuotaUsed', caller.functionName, { kind: quota.kind })),
        DAY_SECONDS,
      ),
      evaluationPeriods: 1,
      threshold,
      comparison: 'GreaterThanOrEqualToThreshold',
    });
  }
  return parts;
}

/**
 * The alarms of a place's function (stack/placeStack.ts): its errors, throttles, Feishu's
 * rate-limit answers and the shared budget's fallbacks, as any function's (it has no queue, so
 * no dead letters), and its state machine's failed runs: a run fails when the place cannot be
 * listed (the app no member of the space, a folder gone) or Lambda keeps failing.
 *
 * @example
 * placeAlarms(wikiSpace, settings).WikiSpaceImagesFailedRunsAlarm.Properties.MetricName; // 'ExecutionsFailed'
 */
export function placeAlarms(
  place: EndpointDescription<string>,
  settings: AlarmSettings,
): Record<string, CloudFormationResource> {
  const { capitalised } = logicalIds(place);
  const alarms = functionAlarms(place, settings);
  delete alarms[`${capitalised}DeadLetterAlarm`];
  alarms[`${capitalised}FailedRunsAlarm`] = alarm({
    name: `${place.functionName}-failed-runs`,
    description: `A run of ${place.functionName}'s state machine failed: its summary was not written`,
    metric: {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: `${capitalised}StateMachine` } }],
      Statistic: 'Sum',
      Period: ALARM_PERIOD_SECONDS,
    },
    evaluationPeriods: 1,
    threshold: 0,
    comparison: 'GreaterThanThreshold',
  });
  return alarms;
}

function functionAlarms(
  endpoint: EndpointDescription<string>,
  settings: AlarmSettings,
): Record<string, CloudFormationResource> {
  const name = endpoint.functionName;
  const { capitalised, lambdaFunction, deadLetterQueue } = logicalIds(endpoint);
  const periods = settings.rateLimitedPeriods;
  return {
    [`${capitalised}DeadLetterAlarm`]: alarm({
      name: `${name}-dead-letters`,
      description: `A message of ${name}'s queue failed 5 times and waits in its dead-letter queue`,
      metric: {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueue, 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: ALARM_PERIOD_SECONDS,
      },
      evaluationPeriods: 1,
      threshold: 0,
      comparison: 'GreaterThanThreshold',
    }),
    [`${capitalised}ErrorsAlarm`]: alarm({
      name: `${name}-errors`,
      description: `${name} failed ${settings.functionErrors} or more invocations in 5 minutes`,
      metric: lambdaMetric(lambdaFunction, 'Errors'),
      evaluationPeriods: 1,
      threshold: settings.functionErrors,
      comparison: 'GreaterThanOrEqualToThreshold',
    }),
    [`${capitalised}ThrottlesAlarm`]: throttlesAlarm(name, lambdaFunction, settings),
    [`${capitalised}RateLimitedAlarm`]: alarm({
      name: `${name}-rate-limited`,
      description:
        `Feishu answered ${name} with ${settings.rateLimited} or more rate-limit answers ` +
        `in each of ${periods} periods of 5 minutes in a row`,
      ...sum(
        calledEndpoints(endpoint).map((called) => productMetric('FeishuRateLimited', name, { kind: called.kind })),
        ALARM_PERIOD_SECONDS,
      ),
      evaluationPeriods: periods,
      threshold: settings.rateLimited,
      comparison: 'GreaterThanOrEqualToThreshold',
    }),
    [`${capitalised}SharedBudgetFallbacksAlarm`]: alarm({
      name: `${name}-shared-budget-fallbacks`,
      description:
        `${settings.sharedBudgetFallbacks} or more of ${name}'s invocations in 5 minutes could not use the shared ` +
        'rate budget (RATE_LIMIT_TABLE) and paced their calls on their own',
      metric: { ...cloudWatchMetric(productMetric('SharedBudgetFallbacks', name, {})), Period: ALARM_PERIOD_SECONDS },
      evaluationPeriods: 1,
      threshold: settings.sharedBudgetFallbacks,
      comparison: 'GreaterThanOrEqualToThreshold',
    }),
  };
}

/**
 * A receiver's alarms, notifying the same topic: `FeishuEventsNotQueuedAlarm` when events it
 * proved could not be queued (QUEUE_ERROR, MISCONFIGURED, INTERNAL_ERROR: answered 500, so Feishu
 * delivers them again, at most four times over about 7 hours) reach the functions' error
 * threshold in 5 minutes, and `FeishuEventsThrottlesAlarm` on Lambda's throttles (Feishu then
 * sees no answer). Refused forgeries are counted (EventsRefused) but raise no alarm.
 *
 * @example
 * receiverAlarms(feishuEvents, settings).FeishuEventsNotQueuedAlarm.Properties.Threshold; // 1
 */
export function receiverAlarms(
  receiver: ReceiverDescription,
  settings: AlarmSettings,
): Record<string, CloudFormationResource> {
  const name = receiver.functionName;
  const { capitalised, lambdaFunction } = logicalIds(receiver);
  const codes = ['QUEUE_ERROR', 'MISCONFIGURED', 'INTERNAL_ERROR'] as const;
  return {
    [`${capitalised}NotQueuedAlarm`]: alarm({
      name: `${name}-not-queued`,
      description:
        `${settings.functionErrors} or more events ${name} received could not be queued in 5 minutes ` +
        '(answered 500: Feishu delivers them again)',
      ...sum(
        codes.map((code) => productMetric('EventsRefused', name, { code })),
        ALARM_PERIOD_SECONDS,
      ),
      evaluationPeriods: 1,
      threshold: settings.functionErrors,
      comparison: 'GreaterThanOrEqualToThreshold',
    }),
    [`${capitalised}ThrottlesAlarm`]: throttlesAlarm(name, lambdaFunction, settings),
  };
}

/** A Lambda metric of one function, summed over the alarms' period. */
function lambdaMetric(lambdaFunction: string, metric: string): AlarmMetric {
  return {
    Namespace: 'AWS/Lambda',
    MetricName: metric,
    Dimensions: [{ Name: 'FunctionName', Value: { Ref: lambdaFunction } }],
    Statistic: 'Sum',
    Period: ALARM_PERIOD_SECONDS,
  };
}

function throttlesAlarm(name: string, lambdaFunction: string, settings: AlarmSettings): CloudFormationResource {
  return alarm({
    name: `${name}-throttles`,
    description: `Lambda throttled ${settings.functionThrottles} or more of ${name}'s invocations in 5 minutes`,
    metric: lambdaMetric(lambdaFunction, 'Throttles'),
    evaluationPeriods: 1,
    threshold: settings.functionThrottles,
    comparison: 'GreaterThanOrEqualToThreshold',
  });
}

/** One metric of an alarm, as AWS::CloudWatch::Alarm's properties name it. */
interface AlarmMetric {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: unknown }[];
  Statistic: 'Sum' | 'Maximum';
  Period: number;
}

interface AlarmFacts {
  name: string;
  description: string;
  evaluationPeriods: number;
  threshold: number;
  comparison: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold';
  metric?: AlarmMetric;
  metrics?: unknown[];
}

function alarm(facts: AlarmFacts): CloudFormationResource {
  const topic = [{ Ref: ALARM_IDS.topic }];
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `\${self:service}-\${sls:stage}-${facts.name}`,
      AlarmDescription: facts.description,
      ...(facts.metric ?? {}),
      ...(facts.metrics === undefined ? {} : { Metrics: facts.metrics }),
      EvaluationPeriods: facts.evaluationPeriods,
      DatapointsToAlarm: facts.evaluationPeriods,
      Threshold: facts.threshold,
      ComparisonOperator: facts.comparison,
      TreatMissingData: 'notBreaching',
      AlarmActions: topic,
      OKActions: topic,
    },
  };
}

/** The sum of the product's metrics, period by period: one metric as itself, several by metric math. */
function sum(metrics: ProductMetric[], period: number): Pick<AlarmFacts, 'metric' | 'metrics'> {
  if (metrics.length === 1) return { metric: { ...cloudWatchMetric(metrics[0]!), Period: period } };
  const ids = metrics.map((_metric, index) => `m${index}`);
  return {
    metrics: [
      ...metrics.map((metric, index) => ({
        Id: ids[index],
        MetricStat: {
          Metric: {
            Namespace: metric.namespace,
            MetricName: metric.name,
            Dimensions: metric.dimensions.map(([Name, Value]) => ({ Name, Value })),
          },
          Period: period,
          Stat: 'Sum',
        },
        ReturnData: false,
      })),
      { Id: 'total', Expression: `SUM([${ids.join(',')}])`, ReturnData: true },
    ],
  };
}

function cloudWatchMetric(metric: ProductMetric): Omit<AlarmMetric, 'Period'> {
  return {
    Namespace: metric.namespace,
    MetricName: metric.name,
    Dimensions: metric.dimensions.map(([Name, Value]) => ({ Name, Value })),
    Statistic: 'Sum',
  };
}

function topicResources(settings: AlarmSettings): Record<string, CloudFormationResource> {
  const topic = { Ref: ALARM_IDS.topic };
  return {
    [ALARM_IDS.topic]: {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: '${self:service}-${sls:stage}-alarms', DisplayName: 'feishu-image-mirror alarms' },
    },
    [ALARM_IDS.topicPolicy]: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [topic],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AlarmsOfThisAccountPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: topic,
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: topic,
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
    [ALARM_IDS.subscription]: {
      Type: 'AWS::SNS::Subscription',
      Condition: ALARM_IDS.emailCondition,
      Properties: { TopicArn: topic, Protocol: 'email', Endpoint: settings.email },
    },
  };
}
