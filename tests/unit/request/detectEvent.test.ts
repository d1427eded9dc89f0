import type { S3Event, S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import { detectEvent } from '../../../lib/request/detectEvent';
import { loadEvent } from '../../support/loadEvent';

describe('Function: detectEvent', () => {
  it.each([
    ['apigw-rest/whiteboard.json', { kind: 'http', transport: 'rest' }],
    ['apigw-http/baike.json', { kind: 'http', transport: 'http' }],
    ['function-url/im.json', { kind: 'http', transport: 'http' }],
    ['sqs/im-messages.json', { kind: 'sqs' }],
    ['s3/im-jsonl-manifest-created.json', { kind: 's3' }],
    ['eventbridge/s3-object-created.json', { kind: 's3', trigger: 'eventbridge' }],
    ['eventbridge/scheduled-event.json', { kind: 'schedule' }],
    ['eventbridge/schedule-constant-input.json', { kind: 'input', trigger: 'direct' }],
    ['batch/im.json', { kind: 'input', trigger: 'direct' }],
    ['direct/im.json', { kind: 'input', trigger: 'direct' }],
  ])('tells %s apart', (fixture, expected) => {
    // Act
    const detected = detectEvent(loadEvent(fixture));

    // Assess
    expect(detected).toMatchObject(expected);
  });

  it("reads a direct notification's URL-encoded key and EventBridge's plain one as the same key", () => {
    // Prepare
    const direct = loadEvent<S3Event>('s3/im-jsonl-manifest-created.json');
    direct.Records[0]!.s3.object.key = 'requests/im/c%2B%2B+notes+100%25.jsonl';
    const bridged = loadEvent<S3ObjectCreatedNotificationEvent>('eventbridge/s3-object-created.json');
    bridged.detail.object.key = 'requests/im/c++ notes 100%.jsonl';

    // Act
    const detected = [detectEvent(direct), detectEvent(bridged)];

    // Assess
    const notices = [{ bucket: 'feishu-image-mirror-test', key: 'requests/im/c++ notes 100%.jsonl', created: true }];
    expect(detected).toEqual([
      { kind: 's3', notices, trigger: 's3' },
      { kind: 's3', notices, trigger: 'eventbridge' },
    ]);
  });

  it("unwraps a rule event's detail", () => {
    // Prepare
    const event = loadEvent<{ detail: unknown }>('eventbridge/rule-detail-batch.json');

    // Act
    const detected = detectEvent(event);

    // Assess
    expect(detected).toEqual({ kind: 'input', input: event.detail, trigger: 'eventbridge' });
  });

  it('takes a scheduled event with a detail for a rule event, not for the schedule without input', () => {
    // Prepare
    const event = loadEvent<{ detail: unknown }>('eventbridge/scheduled-event.json');
    event.detail = { whiteboardId: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg' };

    // Act
    const detected = detectEvent(event);

    // Assess
    expect(detected).toEqual({ kind: 'input', input: event.detail, trigger: 'eventbridge' });
  });

  it.each([
    [{ Records: [] }],
    [{ Records: [{ eventSource: 'aws:sqs' }, { eventSource: 'aws:s3' }] }],
    [['imageKey']],
    ['img_v3_01'],
    [null],
  ])('leaves %j to the strict payload check', (event) => {
    // Act
    const detected = detectEvent(event);

    // Assess
    expect(detected).toEqual({ kind: 'input', input: event, trigger: 'direct' });
  });
});
