import { docx, driveMedia, ENDPOINTS, feishuEvents, im } from '../../../lib/endpoints';
import { alarmParts, readAlarmSettings, receiverAlarms } from '../../../stack/alarms';

/** The properties the tests read: a query of an alarm's metric math, a policy's statements. */
interface Properties {
  Metrics: { Id: string; MetricStat?: { Metric: { Dimensions: { Value: unknown }[] }; Period: number } }[];
  PolicyDocument: { Statement: unknown[] };
  [property: string]: unknown;
}

const DEFAULTS = readAlarmSettings({});
const parts = alarmParts(ENDPOINTS, DEFAULTS);
const read = (resources: typeof parts.Resources, id: string) => resources[id]!.Properties as Properties;
const propertiesOf = (id: string) => read(parts.Resources, id);

describe('Function: alarmParts', () => {
  it.each(ENDPOINTS.map((endpoint) => [endpoint.functionName]))(
    'gives %s an alarm on its dead-letter queue holding any message',
    (functionName) => {
      // Prepare
      const capitalised = functionName[0]!.toUpperCase() + functionName.slice(1);

      // Assess
      expect(propertiesOf(`${capitalised}DeadLetterAlarm`)).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [`${capitalised}DeadLetterQueue`, 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    },
  );

  it("alarms on a function's Lambda errors and throttles summed over 5 minutes, at their settings", () => {
    // Act
    const settings = { ...DEFAULTS, functionErrors: 3, functionThrottles: 7 };
    const { Resources } = alarmParts([im], settings);

    // Assess
    const dimensions = [{ Name: 'FunctionName', Value: { Ref: 'ImImageLambdaFunction' } }];
    expect(Resources.ImImageErrorsAlarm!.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(Resources.ImImageThrottlesAlarm!.Properties).toMatchObject({
      MetricName: 'Throttles',
      Dimensions: dimensions,
      Threshold: 7,
    });
  });

  it("sums a document function's rate-limit answers over every endpoint it calls, for the periods in a row set", () => {
    // Act
    const { Resources } = alarmParts([docx], { ...DEFAULTS, rateLimited: 4, rateLimitedPeriods: 2 });

    // Assess
    const properties = read(Resources, 'DocxImagesRateLimitedAlarm');
    expect(properties.Metrics.map((query) => query.MetricStat?.Metric)).toEqual([
      ...['docx', 'drive-media', 'whiteboard'].map((kind) => ({
        Namespace: 'FeishuImageMirror',
        MetricName: 'FeishuRateLimited',
        Dimensions: [
          { Name: 'service', Value: 'docxImages' },
          { Name: 'kind', Value: kind },
        ],
      })),
      undefined,
    ]);
    expect(properties.Metrics.at(-1)).toEqual({ Id: 'total', Expression: 'SUM([m0,m1,m2])', ReturnData: true });
    expect(properties).toMatchObject({ Threshold: 4, EvaluationPeriods: 2, DatapointsToAlarm: 2 });
  });

  it("alarms at 80 % of document media's daily quota, summed over a day and over every function calling it", () => {
    // Assess
    const properties = propertiesOf('DriveMediaDailyQuotaAlarm');
    const services = properties.Metrics.flatMap((query) =>
      query.MetricStat === undefined ? [] : [query.MetricStat.Metric.Dimensions[0]!.Value],
    );
    expect(services).toEqual([driveMedia.functionName, docx.functionName]);
    expect(properties.Metrics[0]!.MetricStat).toMatchObject({ Period: 86_400, Stat: 'Sum' });
    expect(properties.Threshold).toBe(8000);
  });

  it('gives no daily quota alarm to an endpoint without a daily quota', () => {
    // Assess
    expect(Object.keys(parts.Resources).filter((id) => id.endsWith('DailyQuotaAlarm'))).toEqual([
      'DriveMediaDailyQuotaAlarm',
    ]);
  });

  it("alarms when a function's invocations fall back from the shared budget, by SharedBudgetFallbacks", () => {
    // Assess
    expect(propertiesOf('ImImageSharedBudgetFallbacksAlarm')).toMatchObject({
      Namespace: 'FeishuImageMirror',
      MetricName: 'SharedBudgetFallbacks',
      Dimensions: [{ Name: 'service', Value: 'imImage' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('makes every alarm notify the topic, and tell it when the alarm is over', () => {
    // Prepare
    const alarms = Object.values(parts.Resources).filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm');

    // Assess
    // Five per function, the daily quota's, and the unpublished image events'.
    expect(alarms).toHaveLength(5 * ENDPOINTS.length + 2);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        OKActions: [{ Ref: 'AlarmTopic' }],
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('subscribes ALARM_EMAIL to the topic only under a condition that holds when it is set', () => {
    // Act
    const set = alarmParts([im], { ...DEFAULTS, email: 'ops@example.com' });

    // Assess
    expect(set.Resources.AlarmEmailSubscription).toEqual({
      Type: 'AWS::SNS::Subscription',
      Condition: 'AlarmEmailSet',
      Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: 'ops@example.com' },
    });
    expect(set.Conditions.AlarmEmailSet).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['ops@example.com', ''] }] });
    expect(parts.Conditions.AlarmEmailSet).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it("lets only this account's alarms publish to the topic, and only over TLS", () => {
    // Assess
    expect(propertiesOf('AlarmTopicPolicy').PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });
});

describe('Function: readAlarmSettings', () => {
  it('takes every threshold at its default when its setting is empty', () => {
    // Act
    const settings = readAlarmSettings({ email: '', rateLimited: ' ' });

    // Assess
    expect(settings).toEqual({
      email: '',
      functionErrors: 1,
      functionThrottles: 1,
      rateLimited: 5,
      rateLimitedPeriods: 3,
      dailyQuotaPercent: 80,
      sharedBudgetFallbacks: 1,
    });
  });

  it('takes a threshold set as a whole number', () => {
    // Act
    const settings = readAlarmSettings({ dailyQuotaPercent: '90' });

    // Assess
    expect(settings.dailyQuotaPercent).toBe(90);
  });

  it.each([['0'], ['101'], ['eighty'], ['8.5']])("refuses ALARM_DAILY_QUOTA_PERCENT '%s', outside 1 to 100", (text) => {
    // Act
    const reading = () => readAlarmSettings({ dailyQuotaPercent: text });

    // Assess
    expect(reading).toThrow('the setting ALARM_DAILY_QUOTA_PERCENT must be a whole number from 1 to 100');
  });

  it('refuses an ALARM_EMAIL that is not an address', () => {
    // Act
    const reading = () => readAlarmSettings({ email: 'ops at example' });

    // Assess
    expect(reading).toThrow("the setting ALARM_EMAIL must be an email address or empty, not 'ops at example'");
  });
});

describe('The alarm on image events EventBridge did not take', () => {
  it('sums ImageEventsUnpublished over every function that stores images, at ALARM_FUNCTION_ERRORS', () => {
    // Act
    const properties = read(
      alarmParts(ENDPOINTS, { ...DEFAULTS, functionErrors: 4 }).Resources,
      'ImageEventsUnpublishedAlarm',
    );

    // Assess
    const services = properties.Metrics.flatMap((query) =>
      query.MetricStat ? [query.MetricStat.Metric.Dimensions.map((dimension) => dimension.Value)] : [],
    );
    expect(services).toEqual(ENDPOINTS.map((endpoint) => [endpoint.functionName]));
    expect(properties).toMatchObject({ Threshold: 4, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });
});

describe('Function: receiverAlarms', () => {
  const alarms = receiverAlarms(feishuEvents, { ...DEFAULTS, functionErrors: 2 });

  it('alarms when events proven to come from Feishu could not be queued, by the codes answered 500', () => {
    // Act
    const properties = alarms.FeishuEventsNotQueuedAlarm!.Properties as Properties;

    // Assess
    const queried = properties.Metrics.flatMap((query) =>
      query.MetricStat ? [query.MetricStat.Metric.Dimensions.map((dimension) => dimension.Value)] : [],
    );
    expect(queried).toEqual([
      ['feishuEvents', 'QUEUE_ERROR'],
      ['feishuEvents', 'MISCONFIGURED'],
      ['feishuEvents', 'INTERNAL_ERROR'],
    ]);
    expect(properties).toMatchObject({ Threshold: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it("alarms on the receiver's throttles, and on no refused forgery", () => {
    // Assess
    expect(Object.keys(alarms).sort()).toEqual(['FeishuEventsNotQueuedAlarm', 'FeishuEventsThrottlesAlarm']);
    expect(alarms.FeishuEventsThrottlesAlarm!.Properties).toMatchObject({
      MetricName: 'Throttles',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'FeishuEventsLambdaFunction' } }],
    });
  });
});
