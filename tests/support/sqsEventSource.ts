import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttribute, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { ENDPOINTS } from '../../lib/endpoints';
import type { MirrorHandler } from '../../lib/handler/createHandler';
import { logicalIds } from '../../stack/logicalIds';
import { lambdaContext } from './lambdaContext';
import type { Template } from './packagedStack';
import { startLocalSqs, type LocalSqs } from '../sandbox/sqs/startLocalSqs';

/**
 * What the stack gives a function's queue, its dead-letter queue and its event source, read from
 * the packaged template of `tests/integration/fixtures/` (which `packagedTemplate.test.ts` keeps
 * equal to what `serverless package` builds).
 */
export interface StackQueue {
  queueName: string;
  deadLetterQueueName: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  deadLetterRetentionSeconds: number;
  /** The event source's `BatchSize`: the most messages one invocation gets. */
  batchSize: number;
  /** Whether the event source has `ReportBatchItemFailures`, without which Lambda ignores `batchItemFailures`. */
  reportBatchItemFailures: boolean;
}

/** The project's root: the nearest folder up with a package.json (npm start bundles this file into .build/). */
function projectRoot(): string {
  let directory = __dirname;
  while (!existsSync(join(directory, 'package.json')) && dirname(directory) !== directory) {
    directory = dirname(directory);
  }
  return directory;
}

const TEMPLATE_FILE = join(projectRoot(), 'tests', 'integration', 'fixtures', 'packagedTemplate.json');

/**
 * The queue, dead-letter queue and event source of a function, as the packaged template declares them.
 *
 * @example
 * stackQueue('imImage').maxReceiveCount; // 5
 */
export function stackQueue(functionName: string): StackQueue {
  const template = JSON.parse(readFileSync(TEMPLATE_FILE, 'utf8')) as Template;
  const endpoint = ENDPOINTS.find((described) => described.functionName === functionName);
  if (endpoint === undefined) throw new Error(`no function ${functionName}`);
  const { queue, deadLetterQueue } = logicalIds(endpoint);
  const queueProperties = template.Resources[queue]?.Properties;
  const deadLetterProperties = template.Resources[deadLetterQueue]?.Properties;
  const mapping = Object.values(template.Resources).find(
    (resource) =>
      resource.Type === 'AWS::Lambda::EventSourceMapping' &&
      resource.Properties.EventSourceArn?.['Fn::GetAtt']?.[0] === queue,
  )?.Properties;
  if (queueProperties === undefined || deadLetterProperties === undefined || mapping === undefined) {
    throw new Error(`the packaged template has no ${queue}, ${deadLetterQueue} or event source for it`);
  }
  return {
    queueName: queueProperties.QueueName,
    deadLetterQueueName: deadLetterProperties.QueueName,
    visibilityTimeoutSeconds: queueProperties.VisibilityTimeout,
    maxReceiveCount: queueProperties.RedrivePolicy.maxReceiveCount,
    deadLetterRetentionSeconds: deadLetterProperties.MessageRetentionPeriod,
    batchSize: mapping.BatchSize,
    reportBatchItemFailures: (mapping.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
  };
}

/** A function's queue and dead-letter queue on a queue server, made as the stack makes them. */
export interface FunctionQueues {
  stack: StackQueue;
  url: string;
  arn: string;
  deadLetterUrl: string;
  /** The visibility timeout the queue was made with: the stack's, unless the test shortened it. */
  visibilityTimeoutSeconds: number;
}

/**
 * Creates a function's dead-letter queue, then its queue with the stack's redrive policy and
 * visibility timeout. A test may shorten the visibility timeout, so that a failed message comes
 * back within it, and add a suffix to both names, so that each test has queues of its own.
 *
 * @example
 * const queues = await createFunctionQueues(sqs.client, 'imImage', { visibilityTimeoutSeconds: 1, suffix: '-1' });
 */
export async function createFunctionQueues(
  client: SQSClient,
  functionName: string,
  options: { visibilityTimeoutSeconds?: number; suffix?: string } = {},
): Promise<FunctionQueues> {
  const stack = stackQueue(functionName);
  const suffix = options.suffix ?? '';
  const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? stack.visibilityTimeoutSeconds;
  const deadLetter = await client.send(
    new CreateQueueCommand({
      QueueName: `${stack.deadLetterQueueName}${suffix}`,
      Attributes: { MessageRetentionPeriod: String(stack.deadLetterRetentionSeconds) },
    }),
  );
  const deadLetterArn = await queueArn(client, deadLetter.QueueUrl!);
  const created = await client.send(
    new CreateQueueCommand({
      QueueName: `${stack.queueName}${suffix}`,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: stack.maxReceiveCount }),
      },
    }),
  );
  const url = created.QueueUrl!;
  return {
    stack,
    url,
    arn: await queueArn(client, url),
    deadLetterUrl: deadLetter.QueueUrl!,
    visibilityTimeoutSeconds,
  };
}

/** The queue server of a test file, and a function's queues of each test's own on it. */
export interface QueueServer extends LocalSqs {
  /** The function's queues as the stack makes them (but for the visibility timeout asked), new names each time. */
  functionQueues(): Promise<FunctionQueues>;
}

/**
 * Registers the hooks a test file needs around an in-process queue server (startLocalSqs):
 * started before its first test, closed after its last. Returns it, its fields there from
 * `beforeAll` on, so the file holds it in a `const`.
 *
 * @example
 * const sqs = useQueueServer('imImage', { visibilityTimeoutSeconds: 2 });
 * const queues = await sqs.functionQueues();
 */
export function useQueueServer(functionName: string, options: { visibilityTimeoutSeconds?: number } = {}): QueueServer {
  let made = 0;
  let started: LocalSqs | undefined;
  const server = {
    functionQueues: () => {
      made += 1;
      return createFunctionQueues(server.client, functionName, { ...options, suffix: `-${made}` });
    },
  } as QueueServer;
  beforeAll(async () => {
    started = await startLocalSqs();
    Object.assign(server, started);
  });
  afterAll(async () => {
    await started?.close();
  });
  return server;
}

async function queueArn(client: SQSClient, url: string): Promise<string> {
  const got = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return got.Attributes!.QueueArn!;
}

/**
 * The messages a queue holds, visible, in flight or delayed (on a queue server of one process,
 * such as fauxqs, these counts are exact; SQS's are approximate).
 */
export async function messagesIn(client: SQSClient, url: string): Promise<number> {
  const got = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(got.Attributes ?? {}).reduce((sum, count) => sum + Number(count), 0);
}

/**
 * Long polls of 20 s, as Lambda's: a receive answers as soon as a message is visible, so a poll
 * while a failed message is in flight takes it when it comes back. `drain` never polls an empty
 * queue, which would wait the whole 20 s.
 */
const WAIT_TIME_SECONDS = 20;

/**
 * What the receive's answer may have taken of the visibility timeout before it was timed here:
 * deletes are refused from the visibility timeout less this on.
 */
const RECEIVE_ALLOWANCE_MS = 100;

/** One invocation of the function with a batch received from its queue, and what came of it. */
export interface PolledBatch {
  records: SQSRecord[];
  /** What the handler answered; undefined when it threw. */
  answer?: unknown;
  thrown?: unknown;
  /** The messages deleted from the queue: those that did not fail. */
  deleted: string[];
  /** The messages left in the queue, to come back after the visibility timeout. */
  kept: string[];
}

/**
 * What Lambda's SQS event source mapping does, for one function and its queue, one invocation
 * at a time (the stack's `maximumConcurrency` is not exercised): it receives up to the batch
 * size with every attribute, hands the handler the records Lambda builds, deletes the messages
 * that did not fail and leaves the failed ones to come back after the visibility timeout. With
 * `ReportBatchItemFailures`, as Lambda reads an answer: no answer, or no or an empty
 * `batchItemFailures`, is a full success; a failure whose `itemIdentifier` is missing, empty or
 * no message of the batch fails the whole batch, as does a thrown error. Without it, only a
 * thrown error keeps the batch.
 *
 * @example
 * const source = sqsEventSource(sqs.client, queues, imImage);
 * const batches = await source.drain();
 */
export function sqsEventSource(
  client: SQSClient,
  queues: FunctionQueues,
  handler: MirrorHandler,
): { poll(): Promise<PolledBatch | undefined>; drain(maxPolls?: number): Promise<PolledBatch[]> } {
  async function poll(): Promise<PolledBatch | undefined> {
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.url,
        MaxNumberOfMessages: queues.stack.batchSize,
        WaitTimeSeconds: WAIT_TIME_SECONDS,
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const receivedAt = Date.now();
    const messages = received.Messages ?? [];
    if (messages.length === 0) return undefined;
    const records = messages.map((message) => toSqsRecord(message, queues.arn));
    const event: SQSEvent = { Records: records };
    let outcome: { answer: unknown } | { thrown: unknown };
    try {
      outcome = { answer: await handler(event, lambdaContext()) };
    } catch (thrown) {
      outcome = { thrown };
    }
    const ids = records.map((record) => record.messageId);
    const failed = new Set('thrown' in outcome ? ids : failedMessages(ids, outcome.answer));
    const done = records.filter((record) => !failed.has(record.messageId));
    if (done.length > 0) {
      checkStillInvisible(Date.now() - receivedAt);
      const deleted = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queues.url,
          Entries: done.map((record, index) => ({ Id: `m${index}`, ReceiptHandle: record.receiptHandle })),
        }),
      );
      const refused = deleted.Failed ?? [];
      if (refused.length > 0) throw new Error(`DeleteMessageBatch refused ${JSON.stringify(refused)}`);
    }
    return {
      records,
      ...outcome,
      deleted: done.map((record) => record.messageId),
      kept: ids.filter((id) => failed.has(id)),
    };
  }

  /**
   * A message whose visibility timeout has passed is back in the queue, and fauxqs then deletes
   * nothing for its receipt handle while answering success (SQS might or might not delete it):
   * an invocation that outlasts the timeout fails the test here rather than leaving messages
   * behind. The stack's timeout is six times the function's, so Lambda never meets this.
   */
  function checkStillInvisible(elapsedMs: number): void {
    if (elapsedMs < queues.visibilityTimeoutSeconds * 1000 - RECEIVE_ALLOWANCE_MS) return;
    throw new Error(
      `the invocation took ${elapsedMs} ms, past the queue's visibility timeout of ` +
        `${queues.visibilityTimeoutSeconds} s: its messages are back in the queue; give the test a longer one`,
    );
  }

  function failedMessages(ids: string[], answer: unknown): string[] {
    if (!queues.stack.reportBatchItemFailures || answer === undefined || answer === null) return [];
    if (typeof answer !== 'object') return ids;
    const failures = (answer as { batchItemFailures?: unknown }).batchItemFailures;
    if (failures === undefined || failures === null) return [];
    if (!Array.isArray(failures)) return ids;
    const named = failures.map((failure) => (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier);
    return named.every((id): id is string => typeof id === 'string' && ids.includes(id)) ? named : ids;
  }

  /** Polls until the queue holds no message, at most `maxPolls` times; answers each invocation. */
  async function drain(maxPolls = 20): Promise<PolledBatch[]> {
    const batches: PolledBatch[] = [];
    for (let polls = 0; polls < maxPolls; polls += 1) {
      if ((await messagesIn(client, queues.url)) === 0) return batches;
      const batch = await poll();
      if (batch !== undefined) batches.push(batch);
    }
    throw new Error(`the queue still held messages after ${maxPolls} polls`);
  }

  return { poll, drain };
}

/**
 * The record Lambda hands the function for a message received with every attribute: the
 * message's system attributes as received, its message attributes in Lambda's shape (camel
 * case, binary values in base64, both list values empty), the queue's ARN and its region.
 *
 * @example
 * toSqsRecord(message, 'arn:aws:sqs:us-east-1:000000000000:q').eventSource; // 'aws:sqs'
 */
export function toSqsRecord(message: Message, queueArn: string): SQSRecord {
  const { MessageId, ReceiptHandle, Body, MD5OfBody, Attributes, MessageAttributes, MD5OfMessageAttributes } = message;
  const attributes = Attributes as SQSRecordAttributes | undefined;
  if (
    MessageId === undefined ||
    ReceiptHandle === undefined ||
    Body === undefined ||
    MD5OfBody === undefined ||
    attributes?.ApproximateReceiveCount === undefined ||
    attributes.SentTimestamp === undefined ||
    attributes.SenderId === undefined ||
    attributes.ApproximateFirstReceiveTimestamp === undefined
  ) {
    throw new Error(`the queue answered a message without what Lambda passes on: ${JSON.stringify(message)}`);
  }
  return {
    messageId: MessageId,
    receiptHandle: ReceiptHandle,
    body: Body,
    attributes: { ...attributes },
    messageAttributes: Object.fromEntries(
      Object.entries(MessageAttributes ?? {}).map(([name, value]) => [name, lambdaAttribute(value)]),
    ),
    md5OfBody: MD5OfBody,
    ...(MD5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3]!,
  };
}

function lambdaAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  return {
    ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
    ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
    // SQS reserves the list values and Lambda passes them empty.
    stringListValues: [],
    binaryListValues: [],
    dataType: value.DataType!,
  };
}
