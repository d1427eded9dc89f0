import 'aws-sdk-client-mock-jest';
import { EventBridgeClient, PutEventsCommand, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { IMAGE_EVENT_DETAIL_TYPE, IMAGE_EVENT_SOURCE, ImageEvents } from '../../../lib/imageEvents/ImageEvents';
import { MetricTally } from '../../../lib/metrics/MetricTally';
import type { MirrorAnswer } from '../../../lib/mirror/MirrorAnswer';
import { logLinesOf } from '../../support/logCapture/logLinesOf';
import { testClients } from '../helpers/testClients';

const BUS = 'images';

/** The answer of the `n`th image stored, as the data path gives it. */
function answerOf(n: number): MirrorAnswer {
  return {
    kind: 'im',
    source: { imageKey: `img_v3_${n}` },
    bucket: 'feishu-image-mirror-dev-images',
    key: `feishu/im/img_v3_${n}`,
    url: `https://example.s3.amazonaws.com/feishu/im/img_v3_${n}?X-Amz-Signature=abc`,
    expiresAt: '2026-12-07T13:00:00.000Z',
    contentType: 'image/png',
    size: 8793 + n,
    sha256: `${n}`.padStart(64, '0'),
    cached: false,
    fetchedAt: '2026-12-07T12:00:00.000Z',
    fileName: 'secret-plan',
  };
}

/** A collector on BUS (on none with `noBus`) whose client is mocked, and the mock, the metrics it counts in. */
function collector({ noBus = false } = {}) {
  const client = new EventBridgeClient({ region: 'us-east-1' });
  const eventBridge = mockClient(client);
  const metrics = new MetricTally();
  const built = jest.fn(async () => client);
  const events = new ImageEvents(noBus ? undefined : BUS, { eventBridge: built }, metrics);
  return { events, eventBridge, metrics, built };
}

/** Stores `count` images, numbered from 1, within `signal`. */
function storeImages(events: ImageEvents, count: number, signal?: AbortSignal): void {
  for (let n = 1; n <= count; n += 1) events.stored(answerOf(n), signal);
}

/** The Detail of each entry of each PutEvents call, as the images' numbers (from their key). */
function imagesPerCall(eventBridge: ReturnType<typeof collector>['eventBridge']): number[][] {
  return eventBridge
    .commandCalls(PutEventsCommand)
    .map((call) =>
      (call.args[0].input.Entries ?? []).map((entry) => Number(JSON.parse(entry.Detail!).key.split('_').pop())),
    );
}

/** What the metrics counted as unpublished. */
function unpublished(metrics: MetricTally): number | undefined {
  const counted = metrics.groups().flatMap((group) => group.metrics);
  return counted.find((metric) => metric.name === 'ImageEventsUnpublished')?.values[0];
}

const ok = (): PutEventsResultEntry => ({ EventId: 'e-1' });
const failedWith = (ErrorCode: string): PutEventsResultEntry => ({ ErrorCode, ErrorMessage: `${ErrorCode}!` });
const signal = () => new AbortController().signal;

describe('Class: ImageEvents', () => {
  it('puts nothing and builds no client when no bus is set', async () => {
    // Prepare
    const { events, eventBridge, built } = collector({ noBus: true });

    // Act
    storeImages(events, 3, signal());
    await events.flush(signal());

    // Assess
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
    expect(built).not.toHaveBeenCalled();
  });

  it('puts nothing when no image was stored', async () => {
    // Prepare
    const { events, eventBridge } = collector();

    // Act
    await events.flush(signal());

    // Assess
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it("puts one 'Image Mirrored' event on the bus for an image stored, with exactly the detail fields", async () => {
    // Prepare
    const { events, eventBridge } = collector();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [ok()] });

    // Act
    events.stored(answerOf(7), signal());
    await events.flush(signal());

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const [entry] = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entry).toEqual({
      EventBusName: BUS,
      Source: IMAGE_EVENT_SOURCE,
      DetailType: IMAGE_EVENT_DETAIL_TYPE,
      Detail: expect.any(String),
    });
    expect(IMAGE_EVENT_SOURCE).toBe('feishu-image-mirror');
    expect(IMAGE_EVENT_DETAIL_TYPE).toBe('Image Mirrored');
    expect(JSON.parse(entry!.Detail!)).toStrictEqual({
      kind: 'im',
      source: { imageKey: 'img_v3_7' },
      bucket: 'feishu-image-mirror-dev-images',
      key: 'feishu/im/img_v3_7',
      contentType: 'image/png',
      size: 8800,
      sha256: '7'.padStart(64, '0'),
      fetchedAt: '2026-12-07T12:00:00.000Z',
    });
  });

  it('never puts the URL, its signature, its expiry or whether it was cached', async () => {
    // Prepare
    const { events, eventBridge } = collector();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [ok()] });

    // Act
    events.stored(answerOf(1), signal());
    await events.flush(signal());

    // Assess
    const detail = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!.Detail!;
    expect(detail).not.toMatch(/url|https:|X-Amz-Signature|expiresAt|cached/i);
  });

  it('puts 25 images in calls of 10, 10 and 5, in the order stored', async () => {
    // Prepare
    const { events, eventBridge } = collector();
    eventBridge.on(PutEventsCommand).callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map(ok) }));

    // Act
    storeImages(events, 25, signal());
    await events.flush(signal());

    // Assess
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect(imagesPerCall(eventBridge)).toEqual([range(1, 10), range(11, 20), range(21, 25)]);
  });

  it('sends a full call as soon as its tenth image is stored, before the flush', async () => {
    // Prepare
    const { events, eventBridge } = collector();
    eventBridge.on(PutEventsCommand).callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map(ok) }));

    // Act
    storeImages(events, 10, signal());
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it('puts at most 10 a call even when the images were stored without a signal', async () => {
    // Prepare
    const { events, eventBridge } = collector();
    eventBridge.on(PutEventsCommand).callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map(ok) }));

    // Act
    storeImages(events, 25);
    await events.flush(signal());

    // Assess
    expect(imagesPerCall(eventBridge).map((call) => call.length)).toEqual([10, 10, 5]);
  });

  it.each(['InternalFailure', 'ThrottlingException'])(
    'sends again only the entries failed with %s, and logs nothing once they are taken',
    async (code) => {
      // Prepare
      const { events, eventBridge, metrics } = collector();
      eventBridge
        .on(PutEventsCommand)
        .resolvesOnce({ FailedEntryCount: 2, Entries: [ok(), failedWith(code), ok(), failedWith(code)] })
        .resolves({ FailedEntryCount: 0, Entries: [ok(), ok()] });

      // Act
      const { lines } = await logLinesOf(async () => {
        storeImages(events, 4, signal());
        await events.flush(signal());
      });

      // Assess
      expect(imagesPerCall(eventBridge)).toEqual([
        [1, 2, 3, 4],
        [2, 4],
      ]);
      expect(lines.filter((line) => line.level === 'WARN')).toEqual([]);
      expect(unpublished(metrics)).toBeUndefined();
    },
  );

  it('sends a passing failure again at most twice, then warns of it', async () => {
    // Prepare
    const { events, eventBridge, metrics } = collector();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [failedWith('ThrottlingException')] });

    // Act
    const { lines } = await logLinesOf(async () => {
      events.stored(answerOf(1), signal());
      await events.flush(signal());
    });

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(lines.filter((line) => line.message === 'image events not published')).toEqual([
      expect.objectContaining({ level: 'WARN', count: 1, reason: 'ThrottlingException', eventBusName: BUS }),
    ]);
    expect(unpublished(metrics)).toBe(1);
  });

  it('does not send again an entry failed for a lasting reason, and warns of it', async () => {
    // Prepare
    const { events, eventBridge, metrics } = collector();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [ok(), failedWith('MalformedDetail')] });

    // Act
    const { lines } = await logLinesOf(async () => {
      storeImages(events, 2, signal());
      await events.flush(signal());
    });

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(lines.filter((line) => line.message === 'image events not published')).toEqual([
      expect.objectContaining({ level: 'WARN', count: 1, reason: 'MalformedDetail' }),
    ]);
    expect(unpublished(metrics)).toBe(1);
  });

  it('sends again the passing failures of a call that also failed one for a lasting reason', async () => {
    // Prepare
    const { events, eventBridge, metrics } = collector();
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 2, Entries: [failedWith('NotFoundException'), failedWith('InternalFailure')] })
      .resolves({ FailedEntryCount: 0, Entries: [ok()] });

    // Act
    storeImages(events, 2, signal());
    await events.flush(signal());

    // Assess
    expect(imagesPerCall(eventBridge)).toEqual([[1, 2], [2]]);
    expect(unpublished(metrics)).toBe(1);
  });

  it('logs one warning with the count and the reason when every call throws, and counts them unpublished', async () => {
    // Prepare
    const { events, eventBridge, metrics } = collector();
    const down = Object.assign(new Error('We encountered an internal error.'), { name: 'InternalException' });
    eventBridge.on(PutEventsCommand).rejects(down);

    // Act
    const { lines } = await logLinesOf(async () => {
      storeImages(events, 25, signal());
      await events.flush(signal());
    });

    // Assess
    expect(lines.filter((line) => line.level === 'WARN')).toEqual([
      expect.objectContaining({
        message: 'image events not published',
        count: 25,
        reason: 'InternalException',
        eventBusName: BUS,
      }),
    ]);
    expect(unpublished(metrics)).toBe(25);
  });

  it('never throws from flush, even when the client cannot be built', async () => {
    // Prepare
    const metrics = new MetricTally();
    const broken = testClients();
    const events = new ImageEvents(BUS, broken, metrics);
    events.stored(answerOf(1), signal());

    // Act
    const flushed = logLinesOf(() => events.flush(signal()));

    // Assess
    await expect(flushed).resolves.toBeDefined();
    expect(unpublished(metrics)).toBe(1);
  });

  it('gives up within the signal: an aborted flush counts what it could not send and returns', async () => {
    // Prepare
    const { events, eventBridge, metrics } = collector();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [failedWith('ThrottlingException')] });
    const aborted = AbortSignal.abort();

    // Act
    events.stored(answerOf(1), aborted);
    await logLinesOf(() => events.flush(aborted));

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(unpublished(metrics)).toBe(1);
  });
});
