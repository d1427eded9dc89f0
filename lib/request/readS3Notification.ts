import { recordsSource } from './recordsSource';

/**
 * One object an S3 notification names, read alike whatever brought it: its bucket, its key as S3
 * holds it, and whether it was created; or, for a record or an event that names no object, why,
 * with its key as it came (empty when it has none).
 */
export type S3Notice = { bucket: string; key: string; created: boolean } | { unreadable: string; key: string };

/**
 * The objects an S3 event notification names, a notice a record, when the value is one:
 * `Records` all from `aws:s3`, as S3 sends it to a function, a queue or a topic.
 *
 * @example
 * s3EventNotices({ Records: [record] }); // [{ bucket: 'images', key: 'requests/im/a b.jsonl', created: true }]
 */
export function s3EventNotices(value: unknown): S3Notice[] | undefined {
  const records = fieldOf(value, 'Records');
  return recordsSource(records) === 'aws:s3' ? (records as unknown[]).map(recordNotice) : undefined;
}

/**
 * EventBridge's S3 event "Object Created" (`source: aws.s3`) as the notice of its object;
 * undefined for any other event.
 *
 * @example
 * objectCreatedNotice(event); // { bucket: 'images', key: 'requests/im/a b.jsonl', created: true }
 */
export function objectCreatedNotice(value: unknown): S3Notice | undefined {
  if (fieldOf(value, 'source') !== 'aws.s3' || fieldOf(value, 'detail-type') !== 'Object Created') return undefined;
  const detail = fieldOf(value, 'detail');
  const bucket = fieldOf(fieldOf(detail, 'bucket'), 'name');
  const key = fieldOf(fieldOf(detail, 'object'), 'key');
  if (typeof bucket !== 'string' || typeof key !== 'string') {
    return {
      unreadable: 'the event is no S3 "Object Created" event (it lacks detail.bucket.name or detail.object.key)',
      key: '',
    };
  }
  // Unlike S3's own notifications, EventBridge's events hold the key as S3 does, not URL-encoded.
  return { bucket, key, created: true };
}

/**
 * An SQS message's body, parsed, when S3 wrote it to the queue, directly or through an SNS topic:
 * the notices of its S3 event notification, or `'test'` for the `s3:TestEvent` S3 sends once a
 * notification to the queue or topic is configured; undefined for any other body. Through SNS,
 * S3's message is the envelope's `Message`, or the body itself when the subscription delivers
 * raw messages.
 *
 * @example
 * readS3Message(JSON.parse(record.body)); // [{ bucket: 'images', key: 'requests/im/a.jsonl', created: true }]
 */
export function readS3Message(body: unknown): S3Notice[] | 'test' | undefined {
  const message = snsMessage(body) ?? body;
  if (fieldOf(message, 'Service') === 'Amazon S3' && fieldOf(message, 'Event') === 's3:TestEvent') return 'test';
  return s3EventNotices(message);
}

function recordNotice(record: unknown): S3Notice {
  const eventName = fieldOf(record, 'eventName');
  const s3 = fieldOf(record, 's3');
  const bucket = fieldOf(fieldOf(s3, 'bucket'), 'name');
  const rawKey = fieldOf(fieldOf(s3, 'object'), 'key');
  if (typeof eventName !== 'string' || typeof bucket !== 'string' || typeof rawKey !== 'string') {
    return {
      unreadable: 'the record is no S3 notification record (it lacks eventName, s3.bucket.name or s3.object.key)',
      key: '',
    };
  }
  try {
    // S3's own notifications URL-encode keys, with '+' for a space.
    const key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    return { bucket, key, created: eventName.startsWith('ObjectCreated:') };
  } catch {
    return { unreadable: 'the key in the record is not valid percent-encoding', key: rawKey };
  }
}

/** The JSON of an SNS notification envelope's `Message`; undefined for anything else, or a message that is no JSON. */
function snsMessage(value: unknown): unknown {
  const message = fieldOf(value, 'Message');
  if (fieldOf(value, 'Type') !== 'Notification' || typeof message !== 'string') return undefined;
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON object's own field; undefined for anything else. */
function fieldOf(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, name)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}
