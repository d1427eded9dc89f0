import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type LocalEventBus, startLocalEventBus } from './eventbridge/startLocalEventBus';

/** An entry as the product puts it, with `overrides`. */
function entry(overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    EventBusName: 'default',
    Source: 'feishu-image-mirror',
    DetailType: 'Image Mirrored',
    Detail: JSON.stringify({ kind: 'im', key: 'im/img_1.png' }),
    ...overrides,
  };
}

describe('The local EventBridge stand-in, through the real SDK client', () => {
  let bus: LocalEventBus;
  let client: EventBridgeClient;

  beforeAll(async () => {
    bus = await startLocalEventBus({ buses: ['images'], account: '123456789012', region: 'ap-southeast-1' });
    client = new EventBridgeClient({
      endpoint: bus.endpoint,
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'any-secret' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await bus.close();
  });
  beforeEach(() => bus.reset());

  it('keeps an event put in the shape a rule target receives, with its Detail parsed', async () => {
    // Act
    const answer = await client.send(new PutEventsCommand({ Entries: [entry()] }));

    // Assess
    expect(answer.FailedEntryCount).toBe(0);
    expect(bus.events).toEqual([
      {
        version: '0',
        id: answer.Entries![0]!.EventId,
        'detail-type': 'Image Mirrored',
        source: 'feishu-image-mirror',
        account: '123456789012',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        region: 'ap-southeast-1',
        resources: [],
        detail: { kind: 'im', key: 'im/img_1.png' },
      },
    ]);
  });

  it("keeps an entry's Time and Resources", async () => {
    // Act
    await client.send(
      new PutEventsCommand({
        Entries: [entry({ Time: new Date('2026-12-07T12:00:00.500Z'), Resources: ['arn:aws:s3:::b/k'] })],
      }),
    );

    // Assess
    expect(bus.events[0]).toMatchObject({ time: '2026-12-07T12:00:00Z', resources: ['arn:aws:s3:::b/k'] });
  });

  it('keeps each event on the bus its entry names, by name or by ARN, and on default when it names none', async () => {
    // Act
    await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ EventBusName: 'images' }),
          entry({ EventBusName: 'arn:aws:events:ap-southeast-1:123456789012:event-bus/images' }),
          entry({ EventBusName: undefined }),
        ],
      }),
    );

    // Assess
    expect(bus.eventsOn('images')).toHaveLength(2);
    expect(bus.eventsOn('default')).toHaveLength(1);
  });

  it('fails an entry whose bus does not exist with NotFoundException, and takes the others', async () => {
    // Act
    const answer = await client.send(
      new PutEventsCommand({ Entries: [entry(), entry({ EventBusName: 'nobody' }), entry()] }),
    );

    // Assess
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries![1]).toEqual({
      ErrorCode: 'NotFoundException',
      ErrorMessage: 'Event bus nobody does not exist.',
    });
    expect(answer.Entries![0]!.EventId).toBeDefined();
    expect(answer.Entries![2]!.EventId).toBeDefined();
    expect(bus.events).toHaveLength(2);
  });

  it.each([
    ['no Source', entry({ Source: undefined }), 'InvalidArgument'],
    ['no DetailType', entry({ DetailType: undefined }), 'InvalidArgument'],
    ['a DetailType of 129 characters', entry({ DetailType: 'x'.repeat(129) }), 'InvalidArgument'],
    ['no Detail', entry({ Detail: undefined }), 'InvalidArgument'],
    ['a Detail that is not JSON', entry({ Detail: '{"kind":' }), 'MalformedDetail'],
    ['a Detail that is no JSON object', entry({ Detail: '[1]' }), 'MalformedDetail'],
  ])('fails an entry with %s as EventBridge does', async (_, sent, errorCode) => {
    // Act
    const answer = await client.send(new PutEventsCommand({ Entries: [sent] }));

    // Assess
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries![0]!.ErrorCode).toBe(errorCode);
    expect(bus.events).toEqual([]);
  });

  it('refuses a call of more than 10 entries with a ValidationException', async () => {
    // Act
    const sent = client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) }));

    // Assess
    await expect(sent).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(bus.events).toEqual([]);
  });

  it('fails the next entries queued to fail with their ErrorCode, across calls, then takes them again', async () => {
    // Prepare
    bus.failNextEntries(3, 'ThrottlingException');

    // Act
    const first = await client.send(new PutEventsCommand({ Entries: [entry(), entry()] }));
    const second = await client.send(new PutEventsCommand({ Entries: [entry(), entry()] }));

    // Assess
    expect(first.FailedEntryCount).toBe(2);
    expect(second.Entries!.map((answered) => answered.ErrorCode)).toEqual(['ThrottlingException', undefined]);
    expect(bus.events).toHaveLength(1);
    expect(bus.calls).toEqual([
      { entries: 2, status: 200, failed: 2 },
      { entries: 2, status: 200, failed: 1 },
    ]);
  });

  it('answers the next call with HTTP 500 when queued to, and the one after normally', async () => {
    // Prepare
    bus.failNextCalls('InternalException');

    // Act
    const failed = client.send(new PutEventsCommand({ Entries: [entry()] }));

    // Assess
    await expect(failed).rejects.toMatchObject({ name: 'InternalException', $metadata: { httpStatusCode: 500 } });
    await expect(client.send(new PutEventsCommand({ Entries: [entry()] }))).resolves.toMatchObject({
      FailedEntryCount: 0,
    });
    expect(bus.events).toHaveLength(1);
  });

  it('throttles the next call when queued to', async () => {
    // Prepare
    bus.failNextCalls('ThrottlingException');

    // Act
    const throttled = client.send(new PutEventsCommand({ Entries: [entry()] }));

    // Assess
    await expect(throttled).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    expect(bus.events).toEqual([]);
  });
});
