import type { S3Client } from '@aws-sdk/client-s3';

const recorders = new WeakMap<S3Client, string[]>();

/**
 * Records the name of every request the given client sends (`HeadObject`, `PutObject`, …,
 * each attempt of a retried call once), so a test can assert how many S3 requests an
 * invocation made. It listens in the SDK's own middleware stack at its last step before the
 * wire, which presigning never reaches: a presigned URL records nothing. Asking again for the
 * same client empties and returns the same record.
 *
 * @example
 * const sent = countS3Commands(containerClients().s3(true));
 */
export function countS3Commands(client: S3Client): string[] {
  const existing = recorders.get(client);
  if (existing) {
    existing.length = 0;
    return existing;
  }
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'deserialize', name: 'countS3Commands', priority: 'low' },
  );
  recorders.set(client, sent);
  return sent;
}
