import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { handler as docxImages } from '../../functions/docxImages';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import { lambdaContext } from '../support/lambdaContext';
import { imRestEvent, loadEvent } from '../support/loadEvent';
import { type LogLine, logLinesOf } from '../support/logCapture/logLinesOf';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

const ignoreFailure = (): undefined => undefined;
const failures = (lines: readonly LogLine[]): LogLine[] =>
  lines.filter((line) => line.message === 'image not mirrored');
const reservedKeyWarnings = (lines: readonly LogLine[]): LogLine[] =>
  lines.filter((line) => / is a reserved key and will be dropped/.test(line.message));

describe('The log line of a failure (the one record of queued work nobody reads the answer of)', () => {
  const env = useMirrorEnvironment();

  it('names the reason, code and image of a failed request, under no key the logger reserves', async () => {
    // Act
    const { lines } = await logLinesOf(() => imImage({ imageKey: 'err-234005' }, lambdaContext()).catch(ignoreFailure));

    // Assess
    expect(failures(lines)).toEqual([
      expect.objectContaining({
        kind: 'im',
        code: 'NOT_FOUND',
        reason: expect.stringContaining('err-234005'),
        source: { imageKey: 'err-234005' },
        transport: 'direct',
      }),
    ]);
    expect(reservedKeyWarnings(lines)).toEqual([]);
  });

  it('names the image of a failed request over HTTP', async () => {
    // Prepare
    const event = imRestEvent('err-234005');

    // Act
    const { lines } = await logLinesOf(() => imImage(event, lambdaContext()));

    // Assess
    expect(failures(lines)).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', source: { imageKey: 'err-234005' }, transport: 'rest' }),
    ]);
  });

  it('names the setting a schedule misses', async () => {
    // Prepare
    const event = loadEvent('eventbridge/scheduled-event.json');

    // Act
    const { lines } = await logLinesOf(() => whiteboardImage(event, lambdaContext()).catch(ignoreFailure));

    // Assess
    expect(failures(lines)).toEqual([
      expect.objectContaining({
        code: 'MISCONFIGURED',
        reason: expect.stringContaining('SCHEDULED_WHITEBOARD_IDS'),
        transport: 'schedule',
      }),
    ]);
  });

  it('names the reason and the message of an SQS message refused as a whole', async () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs/im-failing-message.json');
    event.Records = event.Records.filter((record) => record.body.startsWith('imageKey='));

    // Act
    const { lines } = await logLinesOf(() => imImage(event, lambdaContext()));

    // Assess
    expect(failures(lines)).toEqual([
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        reason: expect.stringContaining('not JSON'),
        messageId: '7b2a9c1e-4f3d-4e8a-9b6c-1d2e3f4a5b6c',
        transport: 'sqs',
      }),
    ]);
  });

  it('names the image and its message of an item that failed within an SQS message', async () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs/im-failing-message.json');
    event.Records = event.Records.filter((record) => record.body.includes('err-234005'));

    // Act
    const { lines } = await logLinesOf(() => imImage(event, lambdaContext()));

    // Assess
    expect(failures(lines)).toEqual([
      expect.objectContaining({
        code: 'NOT_FOUND',
        source: { imageKey: 'err-234005' },
        messageId: '2e1424d4-f796-459a-8184-9c92662be6da',
      }),
    ]);
  });

  it('names the image and its document of an image of a document that failed', async () => {
    // Prepare
    env.feishu.addDocument('doxcnLogsOneBadImage', [
      { type: 'image', token: 'boxcnGoodImage1' },
      { type: 'image', token: 'err-1061003' },
    ]);

    // Act
    const { lines } = await logLinesOf(() => docxImages({ documentId: 'doxcnLogsOneBadImage' }, lambdaContext()));

    // Assess
    expect(failures(lines)).toEqual([
      expect.objectContaining({
        kind: 'drive-media',
        code: 'NOT_FOUND',
        source: { fileToken: 'err-1061003', documentId: 'doxcnLogsOneBadImage' },
      }),
    ]);
    expect(reservedKeyWarnings(lines)).toEqual([]);
  });

  it('names the manifest of a manifest refused as a whole', async () => {
    // Prepare
    const manifest = 'requests/im/refused-as-a-whole.json';
    const event = await manifestCreated(manifest, '{"items": [');

    // Act
    const { lines } = await logLinesOf(() => imImage(event, lambdaContext()));

    // Assess
    expect(failures(lines)).toEqual([
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        reason: expect.stringContaining('not valid JSON'),
        manifest,
        transport: 's3',
      }),
    ]);
  });

  it('names each item refused before any call, with where it came from', async () => {
    // Prepare
    const manifest = 'requests/im/one-bad-line.jsonl';
    const event = await manifestCreated(manifest, '{"imageKey": "img_v3_02ab_logs_good"}\nimageKey=not-json\n');

    // Act
    const { lines } = await logLinesOf(() => imImage(event, lambdaContext()));

    // Assess
    expect(failures(lines)).toEqual([
      expect.objectContaining({ code: 'INVALID_REQUEST', reason: expect.stringContaining('line 2'), manifest }),
    ]);
  });

  it('names the message and the manifest of an item of a manifest whose notification was queued', async () => {
    // Prepare
    const manifest = 'requests/im/queued-one-bad-image.jsonl';
    const notification = await manifestCreated(manifest, '{"imageKey": "err-234005"}\n');
    const event = loadEvent<SQSEvent>('sqs/s3-notification.json');
    event.Records[0]!.body = JSON.stringify(notification);

    // Act
    const { lines } = await logLinesOf(() => imImage(event, lambdaContext()));

    // Assess
    expect(failures(lines)).toEqual([
      expect.objectContaining({
        code: 'NOT_FOUND',
        source: { imageKey: 'err-234005' },
        messageId: event.Records[0]!.messageId,
        manifest,
      }),
    ]);
  });

  /** S3's notification of a manifest just written to the test's bucket. */
  async function manifestCreated(manifest: string, body: string): Promise<S3Event> {
    await env.client.send(new PutObjectCommand({ Bucket: env.bucket, Key: manifest, Body: body }));
    const event = loadEvent<S3Event>('s3/im-jsonl-manifest-created.json');
    event.Records[0]!.s3.bucket.name = env.bucket;
    event.Records[0]!.s3.object.key = manifest;
    return event;
  }
});
