/**
 * The `eventSource` of an event's `Records` when all of them agree: `aws:sqs` for an SQS event
 * source mapping's batch, `aws:s3` for an S3 notification; undefined for anything else.
 *
 * @example
 * recordsSource([{ eventSource: 'aws:s3' }]); // 'aws:s3'
 */
export function recordsSource(records: unknown): string | undefined {
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const sources = new Set(
    records.map((item: unknown) =>
      typeof item === 'object' && item !== null ? (item as { eventSource?: unknown }).eventSource : undefined,
    ),
  );
  const [only] = sources;
  return sources.size === 1 && typeof only === 'string' ? only : undefined;
}
