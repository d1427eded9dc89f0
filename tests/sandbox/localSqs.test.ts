import { createHash } from 'node:crypto';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import type { MirrorHandler } from '../../lib/handler/createHandler';
import { loadEvent } from '../support/loadEvent';
import { sqsEventSource, stackQueue, useQueueServer } from '../support/sqsEventSource';

/** The keys of a value, at every depth, as sorted paths: the shape of a record without its values. */
function shapeOf(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [path];
  return Object.entries(value)
    .flatMap(([key, inner]) => shapeOf(inner, `${path}.${key}`))
    .sort();
}

describe('The local SQS server and the event source over it', () => {
  const sqs = useQueueServer('imImage');

  /** A handler that keeps the events it is handed and answers `answer`. */
  function recording(answer: (event: SQSEvent) => unknown): { handler: MirrorHandler; events: SQSEvent[] } {
    const events: SQSEvent[] = [];
    const handler = (async (event: SQSEvent) => {
      events.push(event);
      return answer(event);
    }) as MirrorHandler;
    return { handler, events };
  }

  it('creates the queues with the visibility timeout, redrive count and retention the stack declares', async () => {
    // Prepare
    const stack = stackQueue('imImage');

    // Act
    const queues = await sqs.functionQueues();

    // Assess
    const attributes = async (url: string): Promise<Record<string, string>> =>
      (await sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
    const queue = await attributes(queues.url);
    expect(queue.VisibilityTimeout).toBe(String(stack.visibilityTimeoutSeconds));
    expect(JSON.parse(queue.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: (await attributes(queues.deadLetterUrl)).QueueArn,
      maxReceiveCount: stack.maxReceiveCount,
    });
    expect((await attributes(queues.deadLetterUrl)).MessageRetentionPeriod).toBe(
      String(stack.deadLetterRetentionSeconds),
    );
  });

  it('hands the function records with the fields of the hand-built SQS events of tests/events/sqs/', async () => {
    // Prepare
    const queues = await sqs.functionQueues();
    const body = '{"imageKey": "img_v3_02ab_shape"}';
    await sqs.client.send(new SendMessageCommand({ QueueUrl: queues.url, MessageBody: body }));
    const { handler, events } = recording(() => ({ batchItemFailures: [] }));

    // Act
    await sqsEventSource(sqs.client, queues, handler).poll();

    // Assess
    const record = events[0]!.Records[0]!;
    expect(shapeOf(record)).toEqual(shapeOf(loadEvent<SQSEvent>('sqs/im-messages.json').Records[0]));
    expect(record).toMatchObject({
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      attributes: { ApproximateReceiveCount: '1' },
      eventSource: 'aws:sqs',
      eventSourceARN: queues.arn,
      awsRegion: 'us-east-1',
    });
  });

  it("hands message attributes over in Lambda's shape", async () => {
    // Prepare
    const queues = await sqs.functionQueues();
    await sqs.client.send(
      new SendMessageCommand({
        QueueUrl: queues.url,
        MessageBody: '{}',
        MessageAttributes: {
          source: { DataType: 'String', StringValue: 'export' },
          lines: { DataType: 'Number', StringValue: '3' },
          digest: { DataType: 'Binary', BinaryValue: Buffer.from([0xca, 0xfe]) },
        },
      }),
    );
    const { handler, events } = recording(() => ({ batchItemFailures: [] }));

    // Act
    await sqsEventSource(sqs.client, queues, handler).poll();

    // Assess
    const lists = { stringListValues: [], binaryListValues: [] };
    expect(events[0]!.Records[0]!.messageAttributes).toEqual({
      source: { stringValue: 'export', ...lists, dataType: 'String' },
      lines: { stringValue: '3', ...lists, dataType: 'Number' },
      digest: { binaryValue: 'yv4=', ...lists, dataType: 'Binary' },
    });
    expect(events[0]!.Records[0]!.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps the whole batch when a failure names no message of it, as Lambda does', async () => {
    // Prepare
    const queues = await sqs.functionQueues();
    for (const body of ['{"imageKey": "a"}', '{"imageKey": "b"}']) {
      await sqs.client.send(new SendMessageCommand({ QueueUrl: queues.url, MessageBody: body }));
    }
    const { handler } = recording(() => ({ batchItemFailures: [{ itemIdentifier: 'no-such-message' }] }));

    // Act
    const batch = await sqsEventSource(sqs.client, queues, handler).poll();

    // Assess
    expect(batch?.deleted).toEqual([]);
    expect(batch?.kept).toHaveLength(2);
  });
});
