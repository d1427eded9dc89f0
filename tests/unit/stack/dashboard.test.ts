import { docx, ENDPOINTS, feishuEvents, im, RECEIVERS } from '../../../lib/endpoints';
import { dashboardResource } from '../../../stack/dashboard';
import { dashboardBody, type Widget } from '../../support/namedMetrics';

const widgetsOf = (
  endpoints: Parameters<typeof dashboardResource>[0],
  receivers: Parameters<typeof dashboardResource>[1] = RECEIVERS,
): Widget[] => dashboardBody(dashboardResource(endpoints, receivers).Properties.DashboardBody).widgets;
const titled = (widgets: Widget[], title: string): Widget[] =>
  widgets.filter((widget) => widget.properties.title === title);

describe('Function: dashboardResource', () => {
  it('builds a body of widgets that each have a type, a place within the 24 columns and properties', () => {
    // Act
    const widgets = widgetsOf(ENDPOINTS);

    // Assess
    for (const widget of widgets) {
      expect(Object.keys(widget).sort()).toEqual(['height', 'properties', 'type', 'width', 'x', 'y']);
      expect(['text', 'metric']).toContain(widget.type);
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      expect(widget.height).toBeGreaterThan(0);
    }
  });

  it('places no widget over another', () => {
    // Prepare
    const widgets = widgetsOf(ENDPOINTS);
    const cells = widgets.flatMap((widget) =>
      Array.from({ length: widget.width * widget.height }, (_, cell) => {
        const column = widget.x + (cell % widget.width);
        return `${column},${widget.y + Math.floor(cell / widget.width)}`;
      }),
    );

    // Assess
    expect(new Set(cells).size).toBe(cells.length);
  });

  it('gives each function a row of its name and seven graphs', () => {
    // Act
    const widgets = widgetsOf(ENDPOINTS, []);

    // Assess
    const titles = widgets.filter((widget) => widget.type === 'metric').map((widget) => widget.properties.title);
    expect(new Set(titles)).toEqual(
      new Set([
        'Images mirrored',
        'Cache hit rate (%)',
        'Errors by code',
        'Feishu latency (ms)',
        'Feishu rate-limit answers',
        'Queue',
        'State machine runs',
      ]),
    );
    expect(titles).toHaveLength(7 * ENDPOINTS.length);
    expect(widgets.filter((widget) => widget.type === 'text')).toHaveLength(ENDPOINTS.length);
  });

  it('computes the cache hit rate of each endpoint called as CacheHits / (CacheHits + ImagesMirrored)', () => {
    // Act
    const [rate] = titled(widgetsOf([docx]), 'Cache hit rate (%)');

    // Assess
    expect(rate!.properties.metrics!.slice(0, 3)).toEqual([
      [{ expression: '100 * FILL(h0, 0) / (FILL(h0, 0) + FILL(m0, 0))', id: 'r0', label: 'docx' }],
      ['FeishuImageMirror', 'CacheHits', 'service', 'docxImages', 'kind', 'docx', { id: 'h0', visible: false }],
      ['FeishuImageMirror', 'ImagesMirrored', 'service', 'docxImages', 'kind', 'docx', { id: 'm0', visible: false }],
    ]);
    expect(rate!.properties.metrics).toHaveLength(9);
  });

  it("finds a function's errors of every code by a SEARCH of its Errors", () => {
    // Act
    const [errors] = titled(widgetsOf([im]), 'Errors by code');

    // Assess
    expect(errors!.properties.metrics).toEqual([
      [
        {
          expression:
            'SEARCH(\'{FeishuImageMirror,service,code} MetricName="Errors" service="imImage"\', \'Sum\', 300)',
          id: 'errors',
        },
      ],
    ]);
  });

  it("graphs Feishu's latency at p50 and p99", () => {
    // Act
    const [latency] = titled(widgetsOf([im]), 'Feishu latency (ms)');

    // Assess
    expect(latency!.properties.metrics).toEqual([
      ['FeishuImageMirror', 'FeishuLatency', 'service', 'imImage', 'kind', 'im', { stat: 'p50', label: 'im p50' }],
      ['FeishuImageMirror', 'FeishuLatency', 'service', 'imImage', 'kind', 'im', { stat: 'p99', label: 'im p99' }],
    ]);
  });

  it("graphs the function's queue: its messages, its dead letters and the oldest message's age", () => {
    // Act
    const [queue] = titled(widgetsOf([im]), 'Queue');

    // Assess
    expect(queue!.properties.metrics!.map((line) => line.slice(0, 4))).toEqual([
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', 'getatt(ImImageQueue.QueueName)'],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', 'getatt(ImImageDeadLetterQueue.QueueName)'],
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', 'getatt(ImImageQueue.QueueName)'],
    ]);
  });

  it("graphs the runs of the function's state machine, by its ARN", () => {
    // Act
    const [runs] = titled(widgetsOf([im]), 'State machine runs');

    // Assess
    expect(runs!.properties.metrics!.map((line) => line.slice(0, 4))).toEqual(
      ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed'].map((metric) => [
        'AWS/States',
        metric,
        'StateMachineArn',
        'ref(ImImageStateMachine)',
      ]),
    );
  });

  it("shows every graph in the stack's own region", () => {
    // Act
    const graphs = widgetsOf(ENDPOINTS).filter((widget) => widget.type === 'metric');

    // Assess
    expect(new Set(graphs.map((widget) => widget.properties.region))).toEqual(new Set(['ref(AWS::Region)']));
  });

  it("gives each receiver a row below the functions': events received, refused by code, images queued", () => {
    // Act
    const widgets = widgetsOf([im], [feishuEvents]);

    // Assess
    const lowest = Math.max(...widgetsOf([im], []).map((widget) => widget.y + widget.height));
    const row = widgets.filter((widget) => widget.y >= lowest);
    expect(row.map((widget) => widget.properties.title ?? widget.properties.markdown)).toEqual([
      "## feishuEvents: receives the Feishu app's events",
      'Events received',
      'Events refused by code',
      'Images queued for messageImage',
    ]);
    expect(JSON.stringify(titled(widgets, 'Events refused by code'))).toContain(
      'MetricName=\\"EventsRefused\\" service=\\"feishuEvents\\"',
    );
  });
});
