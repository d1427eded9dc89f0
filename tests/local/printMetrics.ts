/**
 * `npm start` shows the metrics each request produced without AWS: it passes serverless-offline's
 * output through, and in place of the functions' EMF lines (what CloudWatch would read the
 * metrics from) prints one short line of the metrics they hold.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { describeMetric, type EmittedMetric, isEmfLine, metricsOfLine } from '../support/emf/readEmf';

/** An invocation writes its EMF lines at once; a pause this long ends them. */
const QUIET_MS = 50;

/**
 * Copies `output`'s lines to `write`, each invocation's EMF lines replaced by a line of their
 * metrics and the start of its request id: `metrics (imImage, request 42a0250d): ImagesMirrored{kind=im}
 * 1 · BytesStored{kind=im} 5120 B · …`. An invocation's lines end at a line that is not EMF, a line
 * of another request id, or a pause. serverless-offline runs the functions in worker threads,
 * whose output may reach it a moment after its own line of the request: the id tells whose they are.
 *
 * @example
 * printMetrics(offline.stdout, (line) => console.log(line));
 */
export function printMetrics(output: Readable, write: (line: string) => void): void {
  let pending: EmittedMetric[] = [];
  let pendingRequest: unknown;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    for (const line of summaryLines(pending, pendingRequest)) write(line);
    pending = [];
    pendingRequest = undefined;
  };
  createInterface({ input: output, crlfDelay: Number.POSITIVE_INFINITY })
    .on('line', (line) => {
      if (!isEmfLine(line)) {
        flush();
        write(line);
        return;
      }
      // serverless-offline may put a prefix before what the function printed.
      const emf = JSON.parse(line.slice(line.indexOf('{'))) as EmfOutput;
      // ColdStart's line names no request and comes first: it begins an invocation's lines.
      const another = pendingRequest !== undefined && emf.requestId !== pendingRequest;
      if (emf.requestId === undefined || another) flush();
      pendingRequest ??= emf.requestId;
      pending.push(...metricsOfLine(emf));
      clearTimeout(timer);
      timer = setTimeout(flush, QUIET_MS);
    })
    .on('close', flush);
}

/**
 * One line per function (`service`) of the metrics, in the order they were written, naming the
 * start of the request id when there is one.
 *
 * @example
 * summaryLines(metrics, '42a0250d-f767-…'); // ['  metrics (imImage, request 42a0250d): CacheHits{kind=im} 1']
 */
export function summaryLines(metrics: readonly EmittedMetric[], requestId?: unknown): string[] {
  const request = typeof requestId === 'string' ? `, request ${requestId.slice(0, 8)}` : '';
  const byService = new Map<string, EmittedMetric[]>();
  for (const metric of metrics) {
    const service = metric.dimensions.service ?? '?';
    byService.set(service, [...(byService.get(service) ?? []), metric]);
  }
  return [...byService].map(
    ([service, of]) => `  metrics (${service}${request}): ${of.map(describeMetric).join(' · ')}`,
  );
}
