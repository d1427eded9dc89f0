import type { S3Event, SQSEvent } from 'aws-lambda';
import { detectTransport, type Transport } from './detectTransport';

/** What came in, as far as it decides how the function works and answers. */
export type DetectedEvent =
  /** API Gateway REST, HTTP API or a Function URL: answered over HTTP. */
  | { kind: 'http'; transport: Exclude<Transport, 'direct'> }
  /** SQS messages, each a payload or a batch: answered with the failed messages. */
  | { kind: 'sqs'; event: SQSEvent }
  /** S3 notifications of manifests dropped under `requests/{kind}/`. */
  | { kind: 's3'; event: S3Event }
  /** An EventBridge schedule without input: refresh the ids the endpoint's setting lists. */
  | { kind: 'schedule' }
  /**
   * A payload or a batch: given directly (Invoke, Step Functions, an EventBridge target's
   * constant input) or as the `detail` of an EventBridge rule's event.
   */
  | { kind: 'input'; input: unknown; trigger: 'direct' | 'eventbridge' };

/**
 * Tells apart every event a function takes, for every function alike. Anything that is
 * no known AWS envelope is a payload or batch of its own, checked strictly later.
 *
 * @example
 * detectEvent({ imageKey: 'img_v3_01' }); // { kind: 'input', input: {...}, trigger: 'direct' }
 */
export function detectEvent(event: unknown): DetectedEvent {
  const transport = detectTransport(event);
  if (transport !== 'direct') return { kind: 'http', transport };
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    return { kind: 'input', input: event, trigger: 'direct' };
  const record = event as Record<string, unknown>;

  const source = recordsSource(record.Records);
  if (source === 'aws:sqs') return { kind: 'sqs', event: event as SQSEvent };
  if (source === 'aws:s3') return { kind: 's3', event: event as S3Event };

  if (
    typeof record['detail-type'] === 'string' &&
    typeof record.source === 'string' &&
    Object.hasOwn(record, 'detail')
  ) {
    const scheduled =
      record.source === 'aws.events' && record['detail-type'] === 'Scheduled Event' && isEmptyObject(record.detail);
    return scheduled ? { kind: 'schedule' } : { kind: 'input', input: record.detail, trigger: 'eventbridge' };
  }
  return { kind: 'input', input: event, trigger: 'direct' };
}

/** The `eventSource` of a Lambda event-source mapping's or notification's records, when all agree. */
function recordsSource(records: unknown): string | undefined {
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const sources = new Set(
    records.map((item: unknown) =>
      typeof item === 'object' && item !== null ? (item as { eventSource?: unknown }).eventSource : undefined,
    ),
  );
  const [only] = sources;
  return sources.size === 1 && typeof only === 'string' ? only : undefined;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
