import type { SQSEvent } from 'aws-lambda';
import { detectTransport, type Transport } from './detectTransport';
import { objectCreatedNotice, s3EventNotices, type S3Notice } from './readS3Notification';
import { recordsSource } from './recordsSource';

/** What came in, as far as it decides how the function works and answers. */
export type DetectedEvent =
  /** API Gateway REST, HTTP API or a Function URL: answered over HTTP. */
  | { kind: 'http'; transport: Exclude<Transport, 'direct'> }
  /** SQS messages, each a payload, a batch or an S3 notification: answered with the failed messages. */
  | { kind: 'sqs'; event: SQSEvent }
  /**
   * S3 notifications of manifests dropped under `requests/{kind}/`: S3's own, or EventBridge's
   * "Object Created" (those through SQS come in its messages).
   */
  | { kind: 's3'; notices: S3Notice[]; trigger: 's3' | 'eventbridge' }
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

  if (recordsSource(record.Records) === 'aws:sqs') return { kind: 'sqs', event: event as SQSEvent };
  const notices = s3EventNotices(record);
  if (notices) return { kind: 's3', notices, trigger: 's3' };
  const created = objectCreatedNotice(record);
  if (created) return { kind: 's3', notices: [created], trigger: 'eventbridge' };

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

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
