import type { S3Client } from '@aws-sdk/client-s3';

const recorders = new WeakMap<S3Client, string[]>();

/**
 * Records the name of every request the given client sends (`HeadObjectCommand`, …), so a
 * test can assert how many S3 requests an invocation made. Asking again for the same client
 * empties and returns the same record.
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
      sent.push(context.commandName ?? 'unknown');
      return next(args);
    },
    // At the deserialize step: presigning walks the earlier steps without sending anything.
    { step: 'deserialize', name: 'countS3Commands' },
  );
  recorders.set(client, sent);
  return sent;
}
