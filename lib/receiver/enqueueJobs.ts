import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MirrorError } from '../errors/MirrorError';
import type { Deadline } from '../runtime/Deadline';

/** SQS takes at most 10 messages a batch. */
const BATCH_SIZE = 10;
/** Sends of the entries SQS failed, after the first: then the sender's own retry takes over. */
const RESENDS = 2;
const RESEND_PAUSE_MS = 100;

/**
 * Sends every job to the queue as a JSON message, 10 a SendMessageBatch, sending again the
 * entries SQS reports failed. Throws QUEUE_ERROR when some are still not sent (or SQS did not
 * answer within the deadline), so that the event is answered 500 and delivered again; jobs
 * already sent are then sent again with it, which the mirroring function answers from S3.
 *
 * @example
 * await enqueueJobs(sqs, queueUrl, [{ messageId: 'om_1', fileKey: 'img_v3_1' }], deadline);
 */
export async function enqueueJobs(
  sqs: SQSClient,
  queueUrl: string,
  jobs: readonly Readonly<Record<string, string>>[],
  deadline: Deadline,
): Promise<void> {
  const batches: string[][] = [];
  for (let start = 0; start < jobs.length; start += BATCH_SIZE) {
    batches.push(jobs.slice(start, start + BATCH_SIZE).map((job) => JSON.stringify(job)));
  }
  await Promise.all(batches.map((bodies) => sendBatch(sqs, queueUrl, bodies, deadline)));
}

async function sendBatch(sqs: SQSClient, queueUrl: string, bodies: string[], deadline: Deadline): Promise<void> {
  let pending = bodies.map((body, index) => ({ Id: String(index), MessageBody: body }));
  let reason = '';
  for (let attempt = 0; attempt <= RESENDS && pending.length > 0; attempt += 1) {
    if (attempt > 0) await deadline.wait(RESEND_PAUSE_MS * attempt);
    let failed: { Id?: string; Code?: string }[];
    try {
      const answer = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }), {
        abortSignal: deadline.signal,
      });
      failed = answer.Failed ?? [];
    } catch (error) {
      throw new MirrorError(
        'QUEUE_ERROR',
        `SQS did not take the jobs (${nameOf(error)}); the event is to be sent again`,
        {
          cause: error,
        },
      );
    }
    const failedIds = new Set(failed.map((entry) => entry.Id));
    reason = failed[0]?.Code ?? '';
    pending = pending.filter((entry) => failedIds.has(entry.Id));
  }
  if (pending.length > 0) {
    throw new MirrorError(
      'QUEUE_ERROR',
      `SQS refused ${pending.length} of the jobs (${reason || 'no reason given'}); the event is to be sent again`,
    );
  }
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'UnknownError';
}
