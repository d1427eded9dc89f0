import { calledEndpoints, type EndpointDescription, type ReceiverDescription } from '../lib/endpoints';
import type { CloudFormationResource } from './generateStack';
import { type ProductMetric, productMetric, searchSchema } from './productMetrics';
import { logicalIds } from './logicalIds';
import { stateMachineIds } from './stateMachine';

/** The period of every graph, in seconds. */
export const DASHBOARD_PERIOD_SECONDS = 300;
/** CloudWatch's dashboard grid is 24 units wide. */
const GRID_WIDTH = 24;
const GRAPH_HEIGHT = 6;

/** The metrics graphed per endpoint a function calls. */
type KindMetric = 'ImagesMirrored' | 'FeishuRateLimited';

/** One widget of a dashboard body, as CloudWatch reads it. */
export interface DashboardWidget {
  type: 'text' | 'metric';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/**
 * A value CloudFormation fills in (a `Ref`, an `Fn::GetAtt`), held in the body as a marker until
 * the body is joined: `Fn::Sub`'s `${…}` would be read by serverless as its own variables.
 */
class References {
  readonly values: unknown[] = [];

  of(value: unknown): string {
    this.values.push(value);
    return `@@reference-${this.values.length - 1}@@`;
  }

  /** The body's text as `Fn::Join` pieces, each marker replaced by its value. */
  join(text: string): { 'Fn::Join': [string, unknown[]] } {
    const pieces = text
      .split(/@@reference-(\d+)@@/)
      .map((piece, index) => (index % 2 === 0 ? piece : this.values[Number(piece)]));
    return { 'Fn::Join': ['', pieces.filter((piece) => piece !== '')] };
  }
}

/**
 * The stack's CloudWatch dashboard, `Dashboard`, named `{service}-{stage}`: a row per function,
 * for an endpoint whose function is `imImage`, under its name,
 * - images mirrored (ImagesMirrored, per endpoint the function calls);
 * - the cache hit rate, CacheHits / (CacheHits + ImagesMirrored) in %, by metric math;
 * - errors by code (Errors, every `code` the function wrote, found by a SEARCH expression);
 * - Feishu's latency, p50 and p99 (FeishuLatency);
 * - Feishu's rate-limit answers (FeishuRateLimited);
 * - its queue: messages visible, in it and in its dead-letter queue, and the oldest one's age
 *   (AWS/SQS ApproximateNumberOfMessagesVisible, ApproximateAgeOfOldestMessage);
 * - its state machine's runs started, succeeded and failed (AWS/States, by its ARN);
 * then a row per receiver (`feishuEvents`): events received, events refused by code (EventsRefused,
 * found by a SEARCH expression) and images queued.
 * Every metric of the product is named through `productMetric`, as the functions emit it.
 * The body is JSON joined by `Fn::Join` with the region and the queues' and state machine's names.
 *
 * @example
 * dashboardResource(ENDPOINTS).Type; // 'AWS::CloudWatch::Dashboard'
 */
export function dashboardResource(
  endpoints: readonly EndpointDescription<string>[],
  receivers: readonly ReceiverDescription[] = [],
): CloudFormationResource {
  const references = new References();
  const below = endpoints.length * (1 + 2 * GRAPH_HEIGHT);
  const widgets = [
    ...endpoints.flatMap((endpoint, row) => functionRow(endpoint, row * (1 + 2 * GRAPH_HEIGHT), references)),
    ...receivers.flatMap((receiver, row) => receiverRow(receiver, below + row * (1 + GRAPH_HEIGHT), references)),
  ];
  return {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: {
      DashboardName: '${self:service}-${sls:stage}',
      DashboardBody: references.join(JSON.stringify({ widgets })),
    },
  };
}

function functionRow(endpoint: EndpointDescription<string>, y: number, references: References): DashboardWidget[] {
  const name = endpoint.functionName;
  const ids = logicalIds(endpoint);
  const kinds = calledEndpoints(endpoint).map((called) => called.kind);
  const region = references.of({ Ref: 'AWS::Region' });
  const graph = (x: number, row: number, width: number, title: string, properties: Record<string, unknown>) => ({
    type: 'metric' as const,
    x,
    y: y + 1 + row * GRAPH_HEIGHT,
    width,
    height: GRAPH_HEIGHT,
    properties: { title, region, view: 'timeSeries', period: DASHBOARD_PERIOD_SECONDS, stat: 'Sum', ...properties },
  });
  const byKind = (metric: KindMetric) =>
    kinds.map((kind) => line(productMetric(metric, name, { kind }), { label: kind }));
  const queue = (id: string) => references.of({ 'Fn::GetAtt': [id, 'QueueName'] });
  const stateMachine = references.of({ Ref: stateMachineIds(ids.capitalised).stateMachine });
  return [
    {
      type: 'text',
      x: 0,
      y,
      width: GRID_WIDTH,
      height: 1,
      properties: { markdown: `## ${name}: ${endpoint.mirrors}` },
    },
    graph(0, 0, 6, 'Images mirrored', { metrics: byKind('ImagesMirrored') }),
    graph(6, 0, 6, 'Cache hit rate (%)', {
      metrics: kinds.flatMap((kind, index) => [
        [
          {
            expression: `100 * FILL(h${index}, 0) / (FILL(h${index}, 0) + FILL(m${index}, 0))`,
            id: `r${index}`,
            label: kind,
          },
        ],
        line(productMetric('CacheHits', name, { kind }), { id: `h${index}`, visible: false }),
        line(productMetric('ImagesMirrored', name, { kind }), { id: `m${index}`, visible: false }),
      ]),
      yAxis: { left: { min: 0, max: 100 } },
    }),
    graph(12, 0, 6, 'Errors by code', {
      metrics: [
        [
          {
            expression:
              `SEARCH('${searchSchema('Errors')} MetricName="Errors" service="${name}"', 'Sum', ` +
              `${DASHBOARD_PERIOD_SECONDS})`,
            id: 'errors',
          },
        ],
      ],
    }),
    graph(18, 0, 6, 'Feishu latency (ms)', {
      metrics: ['p50', 'p99'].flatMap((stat) =>
        kinds.map((kind) => line(productMetric('FeishuLatency', name, { kind }), { stat, label: `${kind} ${stat}` })),
      ),
    }),
    graph(0, 1, 8, 'Feishu rate-limit answers', { metrics: byKind('FeishuRateLimited') }),
    graph(8, 1, 8, 'Queue', {
      metrics: [
        [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          'QueueName',
          queue(ids.queue),
          { stat: 'Maximum', label: 'visible' },
        ],
        [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          'QueueName',
          queue(ids.deadLetterQueue),
          { stat: 'Maximum', label: 'dead letters' },
        ],
        [
          'AWS/SQS',
          'ApproximateAgeOfOldestMessage',
          'QueueName',
          queue(ids.queue),
          { stat: 'Maximum', label: 'oldest (s)', yAxis: 'right' },
        ],
      ],
    }),
    graph(16, 1, 8, 'State machine runs', {
      metrics: ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed'].map((metric) => [
        'AWS/States',
        metric,
        'StateMachineArn',
        stateMachine,
        { label: metric.replace('Executions', '').toLowerCase() },
      ]),
    }),
  ];
}

function receiverRow(receiver: ReceiverDescription, y: number, references: References): DashboardWidget[] {
  const name = receiver.functionName;
  const region = references.of({ Ref: 'AWS::Region' });
  const graph = (x: number, title: string, properties: Record<string, unknown>): DashboardWidget => ({
    type: 'metric',
    x,
    y: y + 1,
    width: 8,
    height: GRAPH_HEIGHT,
    properties: { title, region, view: 'timeSeries', period: DASHBOARD_PERIOD_SECONDS, stat: 'Sum', ...properties },
  });
  return [
    {
      type: 'text',
      x: 0,
      y,
      width: GRID_WIDTH,
      height: 1,
      properties: { markdown: `## ${name}: receives ${receiver.receives}` },
    },
    graph(0, 'Events received', { metrics: [line(productMetric('EventsReceived', name, {}), { label: 'received' })] }),
    graph(8, 'Events refused by code', {
      metrics: [
        [
          {
            expression:
              `SEARCH('${searchSchema('EventsRefused')} MetricName="EventsRefused" service="${name}"', 'Sum', ` +
              `${DASHBOARD_PERIOD_SECONDS})`,
            id: 'refused',
          },
        ],
      ],
    }),
    graph(16, `Images queued for ${receiver.enqueues.functionName}`, {
      metrics: [line(productMetric('ImagesQueued', name, {}), { label: 'queued' })],
    }),
  ];
}

/** A graph's line of one of the product's metrics: namespace, name, dimension names and values, options. */
function line(metric: ProductMetric, options: Record<string, unknown>): unknown[] {
  return [metric.namespace, metric.name, ...metric.dimensions.flat(), options];
}
