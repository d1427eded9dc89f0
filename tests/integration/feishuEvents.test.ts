import { handler as feishuEvents } from '../../functions/feishuEvents';
import { handler as messageImage } from '../../functions/messageImage';
import { type LocalEventBus, startLocalEventBus } from '../sandbox/eventbridge/startLocalEventBus';
import { imageMessage, messageReceived } from '../sandbox/feishu';
import { EVENT_SECRETS } from '../support/feishuEventRequests';
import { serveAsFunctionUrl } from '../support/serveAsFunctionUrl';
import { type FunctionQueues, messagesIn, sqsEventSource, useQueueServer } from '../support/sqsEventSource';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

/** Feishu's retries come 15 s, 5 min, 1 h and 6 h after a failure; here they come at once. */
const RETRY_DELAYS_MS = [300, 600];

describe("Feishu's events through the event URL, a real queue and a real table, into S3 and onto EventBridge", () => {
  const env = useMirrorEnvironment({ sharedBudget: true, feishu: { eventRetryDelaysMs: RETRY_DELAYS_MS } });
  const sqs = useQueueServer('messageImage', { visibilityTimeoutSeconds: 2 });
  let served: { url: string; close(): Promise<void> };
  let queues: FunctionQueues;
  let bus: LocalEventBus;

  beforeAll(async () => {
    served = await serveAsFunctionUrl(feishuEvents);
    bus = await startLocalEventBus();
  });
  afterAll(async () => {
    await Promise.all([served.close(), bus.close()]);
  });
  beforeEach(async () => {
    queues = await sqs.functionQueues();
    env.setEnv({
      FEISHU_ENCRYPT_KEY: env.feishu.encryptKey,
      FEISHU_VERIFICATION_TOKEN: env.feishu.verificationToken,
      MESSAGE_IMAGE_QUEUE_URL: queues.url,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      EVENT_CHAT_IDS: undefined,
      EVENT_BUS_NAME: 'default',
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
    });
    bus.reset();
    env.feishu.setEventUrl(served.url);
  });

  const jobsIn = async (): Promise<number> => messagesIn(sqs.client, queues.url);

  it('lands an image posted in a sandbox chat in S3, through the queue and messageImage', async () => {
    // Prepare
    const posted = env.feishu.postToChat({ chatId: 'oc_design', messageType: 'image' });
    const attempts = await posted.delivery.done;

    // Act
    const batches = await sqsEventSource(sqs.client, queues, messageImage).drain();

    // Assess
    expect(attempts.map((attempt) => [attempt.status, attempt.body])).toEqual([[200, expect.anything()]]);
    expect(batches.map((batch) => batch.answer)).toEqual([{ batchItemFailures: [] }]);
    const key = `feishu/im-message/${posted.messageId}/${posted.imageKeys[0]}`;
    expect(await env.keys()).toContain(key);
    expect(bus.eventsOn('default')).toEqual([
      expect.objectContaining({
        source: 'feishu-image-mirror',
        'detail-type': 'Image Mirrored',
        detail: expect.objectContaining({
          kind: 'im-message',
          source: { messageId: posted.messageId, fileKey: posted.imageKeys[0] },
          key,
        }),
      }),
    ]);
  });

  it('queues one job per image of a post of 20, and every image lands', async () => {
    // Prepare
    const posted = env.feishu.postToChat({ chatId: 'oc_design', messageType: 'post', images: 20 });
    await posted.delivery.done;

    // Act
    await sqsEventSource(sqs.client, queues, messageImage).drain();

    // Assess
    const keys = await env.keys();
    for (const key of posted.imageKeys) expect(keys).toContain(`feishu/im-message/${posted.messageId}/${key}`);
  });

  it('queues nothing more when Feishu delivers the event again after a success', async () => {
    // Prepare
    const posted = env.feishu.postToChat({
      chatId: 'oc_design',
      messageType: 'post',
      images: 3,
      delivery: { redeliverAfterSuccess: 2, redeliverDelayMs: 50 },
    });

    // Act
    const attempts = await posted.delivery.done;

    // Assess
    expect(attempts.map((attempt) => [attempt.kind, attempt.status])).toEqual([
      ['first', 200],
      ['redelivery', 200],
      ['redelivery', 200],
    ]);
    expect(attempts.slice(1).map((attempt) => JSON.parse(attempt.body ?? '{}').outcome)).toEqual([
      'duplicate',
      'duplicate',
    ]);
    expect(await jobsIn()).toBe(3);
  });

  it('queues a message once when two deliveries of it arrive at the same time', async () => {
    // Prepare
    const event = messageReceived({ ...imageMessage('img_v3_02ab_twice'), chatId: 'oc_design', messageId: 'om_twice' });

    // Act
    const outcomes = await Promise.all([env.feishu.sendEvent(event).done, env.feishu.sendEvent(event).done]);

    // Assess
    const answered = outcomes.map((attempts) => JSON.parse(attempts[0]?.body ?? '{}').outcome).sort();
    expect(answered).toEqual(['duplicate', 'queued']);
    expect(await jobsIn()).toBe(1);
  });

  it('answers 500 while the queue is missing, and Feishu’s retry finishes the work once it is there', async () => {
    // Prepare
    env.setEnv({ MESSAGE_IMAGE_QUEUE_URL: `${queues.url}-not-yet` });
    const posted = env.feishu.postToChat({ chatId: 'oc_design', messageType: 'image' });
    await posted.delivery.firstAttempt;
    env.setEnv({ MESSAGE_IMAGE_QUEUE_URL: queues.url });

    // Act
    const attempts = await posted.delivery.done;

    // Assess
    expect(attempts.map((attempt) => [attempt.kind, attempt.status])).toEqual([
      ['first', 500],
      ['retry', 200],
    ]);
    expect(JSON.parse(attempts[0]?.body ?? '{}')).toMatchObject({ error: { code: 'QUEUE_ERROR' } });
    expect(await jobsIn()).toBe(1);
  });

  it.each([
    ['signed with another key', { signature: 'wrong' as const }, 401],
    ['not signed', { signature: 'none' as const }, 401],
    ['replayed 9 hours later', { timestampSeconds: Math.floor(Date.now() / 1000) - 9 * 3600 }, 401],
    ['not encrypted', { encrypt: false }, 400],
  ])('refuses an event %s, queueing nothing, and Feishu retries it in vain', async (_, delivery, status) => {
    // Prepare
    const event = messageReceived({ ...imageMessage(), chatId: 'oc_design' });

    // Act
    const attempts = await env.feishu.sendEvent(event, delivery).done;

    // Assess
    expect(attempts.map((attempt) => attempt.status)).toEqual([status, status, status]);
    expect(await jobsIn()).toBe(0);
  });

  it('answers the console’s url_verification as the console checks it (the challenge, within its second)', async () => {
    // Act
    const verified = await env.feishu.verifyEventUrl('challenge-of-the-console');

    // Assess
    expect(verified).toMatchObject({ ok: true, challenge: 'challenge-of-the-console' });
  });

  it('has its secrets from the sandbox as the tests build them', () => {
    // Assess
    expect([env.feishu.encryptKey, env.feishu.verificationToken]).toEqual([
      EVENT_SECRETS.encryptKey,
      EVENT_SECRETS.verificationToken,
    ]);
  });
});
