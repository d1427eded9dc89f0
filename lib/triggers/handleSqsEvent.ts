import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { toMirrorError } from '../errors/errorBody';
import { invalidRequest } from '../errors/MirrorError';
import type { Invocation } from '../mirror/Invocation';
import { logFailure } from '../mirror/mirrorLogged';
import { readS3Message } from '../request/readS3Notification';
import { logger } from '../runtime/logger';
import { handleS3Manifests, type ManifestsAnswer } from './handleS3Manifests';
import { failuresOf, runInput } from './runInput';

/**
 * SQS messages, each holding a payload or a batch as JSON, or an S3 notification (S3's own, or
 * in an SNS envelope) whose manifests run as a direct notification's do. A message fails when
 * it is not valid or any of its items failed; a notification's, when S3 failed or a manifest
 * could not be read as a whole (its results file says why). Powertools reports the failed ones
 * in `batchItemFailures` (the event source has ReportBatchItemFailures), so only they come back,
 * and after the queue's redrive count they rest in its dead-letter queue.
 *
 * @example
 * await handleSqsEvent(event, invocation); // { batchItemFailures: [{ itemIdentifier: '…' }] }
 */
export async function handleSqsEvent(event: SQSEvent, invocation: Invocation): Promise<SQSBatchResponse> {
  // A processor per invocation: it keeps the records and failures of the event it works on.
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(event, (record: SQSRecord) => runMessage(record, invocation), processor, {
    // A full failure is answered like a partial one: every message listed, none lost.
    throwOnFullBatchFailure: false,
  });
}

/** What a message's body answers. */
type MessageAnswer = Awaited<ReturnType<typeof runInput>> | ManifestsAnswer;

async function runMessage(record: SQSRecord, invocation: Invocation): Promise<void> {
  const started = Date.now();
  // Every line logged about the message's work names it: nobody reads an SQS answer.
  const messageWork: Invocation = { ...invocation, origin: { messageId: record.messageId } };
  let answer: MessageAnswer;
  try {
    answer = await runBody(parseBody(record.body), record.messageId, messageWork);
  } catch (thrown) {
    const error = toMirrorError(thrown);
    logFailure(messageWork, error, Date.now() - started);
    throw error;
  }
  const { failed, of, codes } = failuresOf(answer);
  if (failed > 0) {
    // Each failed item or image was logged as it failed; the message goes back to the queue whole.
    logger.warn('message not done', { messageId: record.messageId, items: of, failed, codes });
    throw new Error(`message ${record.messageId}: ${failed} of ${of} items failed (${codes.join(', ')})`);
  }
}

/** Runs a message's body: the manifests of an S3 notification, or a payload or a batch. */
async function runBody(body: unknown, messageId: string, invocation: Invocation): Promise<MessageAnswer> {
  const notices = readS3Message(body);
  if (notices === undefined) return runInput(body, invocation);
  if (notices === 'test') {
    // S3 sends it once, when a notification to the queue or its topic is configured.
    logger.info('S3 test event: nothing to do', { messageId });
    return { manifests: [] };
  }
  return handleS3Manifests(notices, invocation);
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw invalidRequest('the message body is not JSON; it must hold a payload or a batch');
  }
}
