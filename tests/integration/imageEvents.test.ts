import { createHash } from 'node:crypto';
import type { BatchAnswer } from '../../lib/batch/BatchAnswer';
import { containerClients } from '../../lib/clients/containerClients';
import { docx, im } from '../../lib/endpoints';
import { createHandler } from '../../lib/handler/createHandler';
import type { DocumentAnswer } from '../../lib/mirror/DocumentAnswer';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { type LocalEventBus, startLocalEventBus } from '../sandbox/eventbridge/startLocalEventBus';
import { lambdaContext } from '../support/lambdaContext';
import { logLinesOf } from '../support/logCapture/logLinesOf';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

const BUS = 'image-events';

describe("The 'Image Mirrored' events the functions put on EventBridge (the local stand-in)", () => {
  const env = useMirrorEnvironment();
  let bus: LocalEventBus;
  const imImage = createHandler(im);
  const docxImages = createHandler(docx);

  beforeAll(async () => {
    bus = await startLocalEventBus({ buses: [BUS] });
    // As a deployment sets them; the SDK's client reads its endpoint from the second.
    env.setEnv({ EVENT_BUS_NAME: BUS, AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint });
  });
  afterAll(async () => {
    await bus.close();
  });
  beforeEach(() => {
    bus.reset();
    env.setEnv({ EVENT_BUS_NAME: BUS });
  });

  /** The warnings that events went unpublished, among the lines logged while `act` ran. */
  async function unpublishedWarnings<T>(act: () => Promise<T>) {
    const { outcome, lines } = await logLinesOf(act);
    return { outcome, warnings: lines.filter((line) => line.message === 'image events not published') };
  }

  it('puts one event for an image newly stored, telling what the answer and the stored object tell', async () => {
    // Act
    const answer = (await imImage({ imageKey: 'img_events_miss' }, lambdaContext())) as MirrorAnswer;

    // Assess
    const stored = await env.object(answer.key);
    expect(bus.eventsOn(BUS)).toEqual([
      {
        version: '0',
        id: expect.any(String),
        'detail-type': 'Image Mirrored',
        source: 'feishu-image-mirror',
        account: expect.any(String),
        time: expect.any(String),
        region: 'us-east-1',
        resources: [],
        detail: {
          kind: 'im',
          source: { imageKey: 'img_events_miss' },
          bucket: env.bucket,
          key: answer.key,
          contentType: stored.contentType,
          size: stored.bytes.length,
          sha256: createHash('sha256').update(stored.bytes).digest('hex'),
          fetchedAt: answer.fetchedAt,
        },
      },
    ]);
    expect(answer.sha256).toBe(createHash('sha256').update(stored.bytes).digest('hex'));
  });

  it('puts nothing for a cache hit', async () => {
    // Prepare
    await imImage({ imageKey: 'img_events_hit' }, lambdaContext());
    bus.reset();

    // Act
    const answer = (await imImage({ imageKey: 'img_events_hit' }, lambdaContext())) as MirrorAnswer;

    // Assess
    expect(answer.cached).toBe(true);
    expect(bus.events).toEqual([]);
    expect(bus.calls).toEqual([]);
  });

  it('puts the 25 images of a batch as 25 events in 3 calls', async () => {
    // Prepare
    const items = Array.from({ length: 25 }, (_, i) => ({ imageKey: `img_events_batch_${i}` }));

    // Act
    const answer = (await imImage({ items }, lambdaContext())) as BatchAnswer;

    // Assess
    expect(answer.succeeded).toBe(25);
    expect(bus.eventsOn(BUS)).toHaveLength(25);
    expect(bus.calls.map((call) => call.entries).sort((a, b) => b - a)).toEqual([10, 10, 5]);
    const keys = bus.events.map((event) => (event.detail as { source: { imageKey: string } }).source.imageKey);
    expect(keys.sort()).toEqual(items.map((item) => item.imageKey).sort());
  });

  it('puts one event for each image of a document newly stored, none for those answered from S3', async () => {
    // Prepare
    const newlyStored = (answer: DocumentAnswer): MirrorAnswer[] =>
      ('images' in answer ? answer.images : []).flatMap((image) =>
        'answer' in image && !image.answer.cached ? [image.answer] : [],
      );

    // Act
    const first = (await docxImages({ documentId: 'doxcnQ8dUQhV1vcTdEYZhzBbWkb' }, lambdaContext())) as DocumentAnswer;
    const putFirst = bus.events.map((event) => event.detail);
    bus.reset();
    const again = (await docxImages({ documentId: 'doxcnQ8dUQhV1vcTdEYZhzBbWkb' }, lambdaContext())) as DocumentAnswer;

    // Assess
    const detailOf = ({ kind, key, sha256 }: MirrorAnswer) => expect.objectContaining({ kind, key, sha256 });
    // Three images and a whiteboard, all new; mirrored again, only the whiteboard, fetched every time.
    expect(newlyStored(first)).toHaveLength(4);
    expect(putFirst).toEqual(expect.arrayContaining(newlyStored(first).map(detailOf)));
    expect(putFirst).toHaveLength(4);
    expect(newlyStored(again).map((answer) => answer.kind)).toEqual(['whiteboard']);
    expect(bus.events.map((event) => event.detail)).toEqual(newlyStored(again).map(detailOf));
  });

  it.each([
    // Sent three times: once, then twice again for a passing failure.
    ['fails every entry', () => bus.failNextEntries(10, 'InternalFailure'), 'InternalFailure', 3],
    // The SDK's own three attempts of one call.
    ['answers 500', () => bus.failNextCalls('InternalException', 10), 'InternalException', 3],
  ])('answers and stores the image though EventBridge %s, and warns', async (_, fail, reason, calls) => {
    // Prepare
    fail();

    // Act
    const { outcome, warnings } = await unpublishedWarnings(() =>
      imImage({ imageKey: `img_events_${reason}` }, lambdaContext()),
    );

    // Assess
    const answer = outcome as MirrorAnswer;
    expect(answer.cached).toBe(false);
    expect(await env.exists(answer.key)).toBe(true);
    expect(bus.events).toEqual([]);
    expect(bus.calls).toHaveLength(calls);
    expect(warnings).toEqual([expect.objectContaining({ level: 'WARN', count: 1, reason, eventBusName: BUS })]);
  });

  it('puts nothing and never builds the EventBridge client when EVENT_BUS_NAME is unset', async () => {
    // Prepare
    env.setEnv({ EVENT_BUS_NAME: undefined });
    const eventBridge = jest.fn(containerClients().eventBridge);
    const handler = createHandler(im, { ...containerClients(), eventBridge });

    // Act
    const answer = (await handler({ imageKey: 'img_events_no_bus' }, lambdaContext())) as MirrorAnswer;

    // Assess
    expect(answer.cached).toBe(false);
    expect(eventBridge).not.toHaveBeenCalled();
    expect(bus.calls).toEqual([]);
  });
});
