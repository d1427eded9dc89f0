import type { S3Api, S3Operation } from '../../lib/storage/S3Api';

const recorders = new WeakMap<S3Api, S3Operation[]>();

/**
 * Records the name of every request the given client sends (`HeadObject`, `PutObject`, …),
 * so a test can assert how many S3 requests an invocation made. Presigning sends nothing and
 * records nothing. Asking again for the same client empties and returns the same record.
 */
export function countS3Commands(client: S3Api): S3Operation[] {
  const existing = recorders.get(client);
  if (existing) {
    existing.length = 0;
    return existing;
  }
  const sent: S3Operation[] = [];
  client.observers.add((operation) => sent.push(operation));
  recorders.set(client, sent);
  return sent;
}
