import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS_NAMESPACE } from '../../lib/metrics/metricDescriptions';

/** A metric of the product that an alarm or a widget names: its name and its dimensions' names. */
export interface NamedMetric {
  /** Where it is named: an alarm's logical id, or a widget's title. */
  by: string;
  name: string;
  dimensions: string[];
}

/** One widget of a dashboard body. */
export interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { title?: string; metrics?: unknown[][]; [property: string]: unknown };
}

/**
 * A dashboard's body, its `Fn::Join` joined with each reference written as text: `{ Ref: 'X' }`
 * as `ref(X)`, `{ 'Fn::GetAtt': ['X', 'Y'] }` as `getatt(X.Y)`.
 *
 * @example
 * dashboardBody(template.Resources.Dashboard.Properties.DashboardBody).widgets[0].type; // 'text'
 */
export function dashboardBody(body: unknown): { widgets: Widget[] } {
  const {
    'Fn::Join': [separator, pieces],
  } = body as { 'Fn::Join': [string, unknown[]] };
  const text = pieces
    .map((piece) => {
      if (typeof piece === 'string') return piece;
      const reference = piece as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (reference.Ref !== undefined) return `ref(${reference.Ref})`;
      if (reference['Fn::GetAtt'] !== undefined) return `getatt(${reference['Fn::GetAtt'].join('.')})`;
      throw new Error(`an unexpected piece of the dashboard's body: ${JSON.stringify(piece)}`);
    })
    .join(separator);
  return JSON.parse(text) as { widgets: Widget[] };
}

/**
 * Every metric of the FeishuImageMirror namespace that the widgets name: a line's metric
 * (`[namespace, name, dimension, value, …, options]`) or a SEARCH expression's
 * (`SEARCH('{FeishuImageMirror,service,code} MetricName="Errors" …')`).
 */
export function widgetMetrics(widgets: Widget[]): NamedMetric[] {
  return widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).flatMap((line): NamedMetric[] => {
      const by = widget.properties.title ?? widget.type;
      const expression = (line[0] as { expression?: string }).expression;
      if (expression !== undefined) {
        const search = /SEARCH\('\{([^}]*)\}[^']*MetricName="(\w+)"/.exec(expression);
        if (search === null) return [];
        const [namespace, ...dimensions] = search[1]!.split(',');
        return namespace === METRICS_NAMESPACE ? [{ by, name: search[2]!, dimensions }] : [];
      }
      if (line[0] !== METRICS_NAMESPACE) return [];
      const pairs = line.slice(2).filter((part) => typeof part === 'string') as string[];
      return [{ by, name: line[1] as string, dimensions: pairs.filter((_part, index) => index % 2 === 0) }];
    }),
  );
}

/** Every metric of the FeishuImageMirror namespace that an alarm of `resources` names, alone or in metric math. */
export function alarmMetrics(
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>,
): NamedMetric[] {
  type Metric = { Namespace: string; MetricName: string; Dimensions?: { Name: string }[] };
  const named = (by: string, metric: Metric): NamedMetric[] =>
    metric.Namespace === METRICS_NAMESPACE
      ? [{ by, name: metric.MetricName, dimensions: (metric.Dimensions ?? []).map((dimension) => dimension.Name) }]
      : [];
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm')
    .flatMap(([by, { Properties }]) => {
      const queries = (Properties.Metrics ?? []) as { MetricStat?: { Metric: Metric } }[];
      return [
        ...(Properties.MetricName === undefined ? [] : named(by, Properties as unknown as Metric)),
        ...queries.flatMap((query) => (query.MetricStat === undefined ? [] : named(by, query.MetricStat.Metric))),
      ];
    });
}

/**
 * The metrics the code under lib/ emits, by the name it passes to a tally's `add` or `record`,
 * and ColdStart, which Powertools writes.
 */
export function metricsTheCodeEmits(): Set<string> {
  const root = join(__dirname, '..', '..', 'lib');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  const names = files.flatMap((file) =>
    [...readFileSync(join(root, file), 'utf8').matchAll(/\.(?:add|record)\('(\w+)'/g)].map((match) => match[1]!),
  );
  return new Set([...names, 'ColdStart']);
}
