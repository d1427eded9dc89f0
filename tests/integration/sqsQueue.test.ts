import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { handler as imImage } from '../../functions/imImage';
import { MAX_ATTEMPTS } from '../../lib/feishu/retryPolicy';
import type { ManifestResults } from '../../lib/triggers/handleS3Manifests';
import { loadEvent } from '../support/loadEvent';
import { type FunctionQueues, messagesIn, sqsEventSource, useQueueServer } from '../support/sqsEventSource';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

/**
 * The stack gives the queue a visibility timeout of 360 s; the queues here get 2 s, so that a
 * failed message comes back within the test while an invocation (tens of milliseconds here)
 * still ends well before it. Everything else is the stack's.
 */
const VISIBILITY_TIMEOUT_SECONDS = 2;

describe('SQS messages through a queue server', () => {
  const env = useMirrorEnvironment();
  const sqs = useQueueServer('imImage', { visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS });

  /** Sends the bodies in one SendMessageBatch; answers their message ids in order. */
  async function send(queues: FunctionQueues, ...bodies: string[]): Promise<string[]> {
    const sent = await sqs.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queues.url,
        Entries: bodies.map((body, index) => ({ Id: `b${index}`, MessageBody: body })),
      }),
    );
    return bodies.map((_, index) => sent.Successful!.find((entry) => entry.Id === `b${index}`)!.MessageId!);
  }

  /** The messages resting in the dead-letter queue, their ids and bodies. */
  async function deadLetters(queues: FunctionQueues): Promise<{ id: string; body: string }[]> {
    const received = await sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: queues.deadLetterUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    return (received.Messages ?? []).map((message) => ({ id: message.MessageId!, body: message.Body! }));
  }

  /** Each receive of a message, as the count SQS gave it, over the batches the function got. */
  function receiveCounts(batches: { records: SQSEvent['Records'] }[], messageId: string): string[] {
    return batches.flatMap((batch) =>
      batch.records
        .filter((record) => record.messageId === messageId)
        .map((record) => record.attributes.ApproximateReceiveCount),
    );
  }

  const payload = (imageKey: string): string => JSON.stringify({ imageKey });
  const imDownloads = (): number => env.feishu.requests.filter((request) => request.endpoint === 'im').length;

  it('mirrors the messages sent to the queue and deletes them from it', async () => {
    // Prepare
    const queues = await sqs.functionQueues();
    const batch = JSON.stringify({ items: [{ imageKey: 'img_v3_02ab_queue_2' }, { imageKey: 'img_v3_02ab_queue_3' }] });
    await send(queues, payload('img_v3_02ab_queue_1'), batch);

    // Act
    const batches = await sqsEventSource(sqs.client, queues, imImage).drain();

    // Assess
    expect(batches.map((polled) => polled.answer)).toEqual([{ batchItemFailures: [] }]);
    expect(batches[0]?.deleted).toHaveLength(2);
    expect(await env.keys()).toEqual(
      expect.arrayContaining([
        'feishu/im/img_v3_02ab_queue_1',
        'feishu/im/img_v3_02ab_queue_2',
        'feishu/im/img_v3_02ab_queue_3',
      ]),
    );
    expect(await messagesIn(sqs.client, queues.url)).toBe(0);
    expect(await messagesIn(sqs.client, queues.deadLetterUrl)).toBe(0);
  });

  it('deletes the messages of a batch that succeeded, and the failed one comes back received twice', async () => {
    // Prepare
    const queues = await sqs.functionQueues();
    const [first, failing, last] = await send(
      queues,
      payload('img_v3_02ab_queue_ok_1'),
      payload('err-234005'),
      payload('img_v3_02ab_queue_ok_2'),
    );
    const source = sqsEventSource(sqs.client, queues, imImage);

    // Act
    // fauxqs answers a receive with every visible message up to the batch size; SQS may answer
    // fewer, which would split this batch (docs/testing.md, "fauxqs and SQS").
    const firstBatch = await source.poll();
    const comeBack = await source.poll();

    // Assess
    expect(firstBatch?.records.map((record) => record.messageId).sort()).toEqual([first, failing, last].sort());
    expect(firstBatch?.answer).toEqual({ batchItemFailures: [{ itemIdentifier: failing }] });
    expect(comeBack?.records.map((record) => [record.messageId, record.attributes.ApproximateReceiveCount])).toEqual([
      [failing, '2'],
    ]);
  });

  it('moves a message that keeps failing to the dead-letter queue after the redrive count, no other', async () => {
    // Prepare
    const queues = await sqs.functionQueues();
    const [failing, good] = await send(queues, payload('err-234005'), payload('img_v3_02ab_queue_good'));

    // Act
    const batches = await sqsEventSource(sqs.client, queues, imImage).drain();

    // Assess
    const receives = queues.stack.maxReceiveCount;
    expect(receiveCounts(batches, failing!)).toEqual(Array.from({ length: receives }, (_, i) => String(i + 1)));
    expect(receiveCounts(batches, good!)).toEqual(['1']);
    expect(await deadLetters(queues)).toEqual([{ id: failing, body: payload('err-234005') }]);
    expect(await env.exists('feishu/im/img_v3_02ab_queue_good')).toBe(true);
    expect(await messagesIn(sqs.client, queues.url)).toBe(0);
  });

  it('moves a message whose body is not JSON to the dead-letter queue the same way, with no Feishu call', async () => {
    // Prepare
    const queues = await sqs.functionQueues();
    const [notJson] = await send(queues, '{"imageKey": "img_v3_02ab_queue_cut');

    // Act
    const batches = await sqsEventSource(sqs.client, queues, imImage).drain();

    // Assess
    expect(receiveCounts(batches, notJson!)).toHaveLength(queues.stack.maxReceiveCount);
    expect(batches.every((polled) => polled.kept.includes(notJson!))).toBe(true);
    expect(await deadLetters(queues)).toEqual([{ id: notJson, body: '{"imageKey": "img_v3_02ab_queue_cut' }]);
    expect(env.feishu.requests.filter((request) => request.endpoint !== 'token')).toEqual([]);
  });

  it('gives a non-retryable failure (NOT_FOUND) one Feishu call per receive until the dead-letter queue', async () => {
    // Prepare
    const queues = await sqs.functionQueues();
    await send(queues, payload('err-234005'));

    // Act
    const batches = await sqsEventSource(sqs.client, queues, imImage).drain();

    // Assess
    expect(batches).toHaveLength(queues.stack.maxReceiveCount);
    expect(imDownloads()).toBe(queues.stack.maxReceiveCount);
    expect(await deadLetters(queues)).toHaveLength(1);
  });

  it('retries a retryable failure within the invocation, then mirrors the message on its next receive', async () => {
    // Prepare
    const queues = await sqs.functionQueues();
    // Every call of the first invocation answers 503, its own retries included.
    env.feishu.fault({ endpoint: 'im', times: MAX_ATTEMPTS, kind: { type: 'status', status: 503 } });
    const [message] = await send(queues, payload('img_v3_02ab_queue_flaky'));

    // Act
    const batches = await sqsEventSource(sqs.client, queues, imImage).drain();

    // Assess
    expect(batches.map((polled) => polled.kept)).toEqual([[message], []]);
    expect(receiveCounts(batches, message!)).toEqual(['1', '2']);
    expect(imDownloads()).toBe(MAX_ATTEMPTS + 1);
    expect(await env.exists('feishu/im/img_v3_02ab_queue_flaky')).toBe(true);
    expect(await messagesIn(sqs.client, queues.deadLetterUrl)).toBe(0);
  });

  it('runs the manifest of an S3 notification sent through the queue and deletes the message', async () => {
    // Prepare
    const queues = await sqs.functionQueues();
    const manifest = '{"imageKey": "img_v3_02ab_queued_1"}\n{"imageKey": "img_v3_02ab_queued_2"}\n';
    // S3's own notification of requests/im/queued+export.jsonl (a space, URL-encoded) in the test bucket.
    const notification = loadEvent<SQSEvent>('sqs/s3-notification.json').Records[0]!.body;
    const key = 'requests/im/queued export.jsonl';
    await env.client.send(new PutObjectCommand({ Bucket: env.bucket, Key: key, Body: manifest }));
    await send(queues, notification);

    // Act
    const batches = await sqsEventSource(sqs.client, queues, imImage).drain();

    // Assess
    expect(batches.map((polled) => polled.answer)).toEqual([{ batchItemFailures: [] }]);
    const results = (await env.object('results/im/queued export.json')).bytes.toString('utf8');
    expect(JSON.parse(results) as ManifestResults).toMatchObject({ succeeded: 2, failed: 0 });
    expect(await env.exists('feishu/im/img_v3_02ab_queued_2')).toBe(true);
    expect(await messagesIn(sqs.client, queues.url)).toBe(0);
  });
});
