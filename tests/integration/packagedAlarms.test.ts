import { calledEndpoints, ENDPOINTS } from '../../lib/endpoints';
import { METRIC_DESCRIPTIONS, type MetricName } from '../../lib/metrics/metricDescriptions';
import { packagedTemplate, PACKAGING_TIMEOUT_MS, type Template } from '../support/packagedStack';
import {
  alarmMetrics,
  dashboardBody,
  metricsTheCodeEmits,
  type NamedMetric,
  widgetMetrics,
} from '../support/namedMetrics';

const capitalised = (name: string) => name[0]!.toUpperCase() + name.slice(1);

describe("The packaged template's alarms, their topic and the dashboard", () => {
  let template: Template;
  beforeAll(async () => {
    template = await packagedTemplate();
  }, PACKAGING_TIMEOUT_MS + 10_000);

  const ofType = (type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

  it.each(ENDPOINTS.map((endpoint) => [endpoint.functionName]))(
    'holds the alarms of %s: dead letters, errors, throttles, rate-limit answers and shared budget fallbacks',
    (functionName) => {
      // Assess
      for (const alarm of ['DeadLetter', 'Errors', 'Throttles', 'RateLimited', 'SharedBudgetFallbacks']) {
        expect(template.Resources[`${capitalised(functionName)}${alarm}Alarm`]?.Type).toBe('AWS::CloudWatch::Alarm');
      }
    },
  );

  it("holds an alarm on document media's daily quota at 80 % of it by default", () => {
    // Assess
    expect(template.Resources.DriveMediaDailyQuotaAlarm?.Properties.Threshold).toBe(8000);
  });

  it('makes every alarm notify the one topic the stack creates', () => {
    // Prepare
    const topics = ofType('AWS::SNS::Topic');

    // Assess
    expect(topics.map(([id]) => id)).toEqual(['AlarmTopic']);
    for (const [, alarm] of ofType('AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    }
  });

  it("subscribes no address by default: its subscription's condition is false for an empty ALARM_EMAIL", () => {
    // Assess
    expect(template.Resources.AlarmEmailSubscription).toMatchObject({ Condition: 'AlarmEmailSet' });
    expect(template.Conditions).toMatchObject({ AlarmEmailSet: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] } });
  });

  it('names in alarms and widgets only metrics the code emits, with the dimensions it gives them', () => {
    // Prepare
    const widgets = dashboardBody(template.Resources.Dashboard!.Properties.DashboardBody).widgets;
    const named: NamedMetric[] = [...alarmMetrics(template.Resources), ...widgetMetrics(widgets)];
    const emitted = metricsTheCodeEmits();
    const asEmitted = ({ by, name }: NamedMetric) => {
      const description = METRIC_DESCRIPTIONS[name as MetricName];
      return { by, name, emitted: emitted.has(name), dimensions: ['service', ...(description?.dimensions ?? ['?'])] };
    };

    // Assess
    expect(named.length).toBeGreaterThan(ENDPOINTS.length * 6);
    expect(named.map(({ by, name, dimensions }) => ({ by, name, emitted: true, dimensions }))).toEqual(
      named.map(asEmitted),
    );
  });

  it("holds a dashboard with a graph of each function's metrics, queue and state machine", () => {
    // Prepare
    const widgets = dashboardBody(template.Resources.Dashboard!.Properties.DashboardBody).widgets;
    const body = JSON.stringify(widgets);

    // Assess
    for (const endpoint of ENDPOINTS) {
      const name = endpoint.functionName;
      for (const kind of calledEndpoints(endpoint).map((called) => called.kind)) {
        expect(body).toContain(
          JSON.stringify(['FeishuImageMirror', 'ImagesMirrored', 'service', name, 'kind', kind]).slice(1, -1),
        );
      }
      expect(body).toContain(`getatt(${capitalised(name)}Queue.QueueName)`);
      expect(body).toContain(`ref(${capitalised(name)}StateMachine)`);
      expect(template.Resources[`${capitalised(name)}StateMachine`]?.Type).toBe('AWS::StepFunctions::StateMachine');
    }
  });
});
