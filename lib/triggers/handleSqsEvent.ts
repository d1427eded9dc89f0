import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { toMirrorError } from '../errors/errorBody';
import { invalidRequest } from '../errors/MirrorError';
import type { Invocation } from '../mirror/Invocation';
import { logFailure } from '../mirror/mirrorLogged';
import { logger } from '../runtime/logger';
import { failuresOf, runInput } from './runInput';

/**
 * SQS messages, each holding a payload or a batch as JSON. A message fails when it is not
 * valid or any of its items failed; Powertools reports the failed ones in
 * `batchItemFailures` (the event source has ReportBatchItemFailures), so only they come back,
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

async function runMessage(record: SQSRecord, invocation: Invocation): Promise<void> {
  const started = Date.now();
  // Every line logged about the message's work names it: nobody reads an SQS answer.
  const messageWork: Invocation = { ...invocation, origin: { messageId: record.messageId } };
  let answer: Awaited<ReturnType<typeof runInput>>;
  try {
    answer = await runInput(parseBody(record.body), messageWork);
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

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw invalidRequest('the message body is not JSON; it must hold a payload or a batch');
  }
}
