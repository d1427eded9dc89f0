import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { readEvent } from './eventReceiver';
import {
  type ChatPostAnswer,
  type EventV2,
  type FeishuSandbox,
  type MessageReceiveEvent,
  pngSignature,
  startFeishuSandbox,
} from './feishu';
import { download, tenantToken } from './feishuSandboxClient';

/** The events the receiver got, decrypted. */
function eventsReceived(server: ScriptedServer, sandbox: FeishuSandbox): EventV2<MessageReceiveEvent>[] {
  return server.received.map((request) => readEvent(request, sandbox.encryptKey).event as EventV2<MessageReceiveEvent>);
}

function postOverHttp(sandbox: FeishuSandbox, chatId: string, body: unknown): Promise<Response> {
  return fetch(`${sandbox.url}/sandbox/chats/${chatId}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('Feishu sandbox: events of its chats', () => {
  let server: ScriptedServer;
  let sandbox: FeishuSandbox;

  beforeEach(async () => {
    server = await startScriptedServer();
    server.answer({ status: 200, body: '{}' });
    sandbox = await startFeishuSandbox({
      rateLimits: false,
      eventUrl: `${server.endpoint}/feishu/events`,
      eventRetryDelaysMs: [30, 30, 30, 30],
    });
  });

  afterEach(async () => {
    await sandbox.close();
    await server.close();
  });

  it("delivers an image posted in a chat as the app's im.message.receive_v1, encrypted and signed", async () => {
    // Act
    const posted = sandbox.postToChat({ chatId: 'oc_sandbox_1', messageType: 'image' });
    await posted.delivery.done;

    // Assess
    const request = server.received[0]!;
    expect(readEvent(request, sandbox.encryptKey)).toMatchObject({ encrypted: true, signatureValid: true });
    const [event] = eventsReceived(server, sandbox);
    expect(event?.header).toMatchObject({
      event_id: posted.event.header.event_id,
      event_type: 'im.message.receive_v1',
      token: sandbox.verificationToken,
      app_id: sandbox.appId,
    });
    expect(event?.event.message).toMatchObject({
      message_id: posted.messageId,
      chat_id: 'oc_sandbox_1',
      message_type: 'image',
      content: JSON.stringify({ image_key: posted.imageKeys[0] }),
    });
  });

  it('serves each image of a posted post as its own PNG from the message-resource endpoint', async () => {
    // Prepare
    const posted = sandbox.postToChat({ chatId: 'oc_sandbox_1', messageType: 'post', images: 3 });
    const token = await tenantToken(sandbox);

    // Act
    const images = await Promise.all(
      posted.imageKeys.map(async (imageKey) => {
        const path = `/open-apis/im/v1/messages/${posted.messageId}/resources/${imageKey}?type=image`;
        const response = await download(sandbox, path, token);
        return { status: response.status, type: response.headers.get('content-type'), bytes: await response.bytes() };
      }),
    );

    // Assess
    expect(images.map(({ status, type }) => [status, type])).toEqual([
      [200, 'image/png'],
      [200, 'image/png'],
      [200, 'image/png'],
    ]);
    images.forEach(({ bytes }) => {
      expect(Buffer.from(bytes.subarray(0, 8))).toEqual(pngSignature);
    });
    expect(new Set(images.map(({ bytes }) => Buffer.from(bytes).toString('base64'))).size).toBe(3);
  });

  it('names the image keys of a post in its content, in the form asked for', async () => {
    // Act
    const posted = sandbox.postToChat({ chatId: 'oc_sandbox_1', messageType: 'post', images: 2, form: 'en_us' });
    await posted.delivery.done;

    // Assess
    const content = JSON.parse(eventsReceived(server, sandbox)[0]?.event.message.content ?? '') as {
      en_us: { content: { tag: string; image_key?: string }[][] };
    };
    const imageKeys = content.en_us.content.flat().flatMap((element) => element.image_key ?? []);
    expect(imageKeys).toEqual(posted.imageKeys);
  });

  it('records every delivery with its attempts, retries included', async () => {
    // Prepare
    server.answer({ status: 500 }, { status: 200 });

    // Act
    const posted = sandbox.postToChat({ chatId: 'oc_sandbox_1', messageType: 'image' });
    await posted.delivery.done;

    // Assess
    expect(sandbox.eventDeliveries).toEqual([posted.delivery]);
    expect(posted.delivery.attempts.map((attempt) => [attempt.kind, attempt.status])).toEqual([
      ['first', 500],
      ['retry', 200],
    ]);
  });

  it('redelivers a posted message after its success when asked, with the same event and message ids', async () => {
    // Act
    const posted = sandbox.postToChat({
      chatId: 'oc_sandbox_1',
      messageType: 'image',
      delivery: { redeliverAfterSuccess: 1 },
    });
    await posted.delivery.done;

    // Assess
    const events = eventsReceived(server, sandbox);
    expect(events.map((event) => [event.header.event_id, event.event.message.message_id])).toEqual([
      [posted.event.header.event_id, posted.messageId],
      [posted.event.header.event_id, posted.messageId],
    ]);
  });

  it('sends later events to the URL set with setEventUrl', async () => {
    // Prepare
    const other = await startScriptedServer();
    other.answer({ status: 200 });

    // Act
    sandbox.setEventUrl(`${other.endpoint}/events`);
    await sandbox.postToChat({ chatId: 'oc_sandbox_1', messageType: 'image' }).delivery.done;

    // Assess
    expect(sandbox.eventUrl).toBe(`${other.endpoint}/events`);
    expect(other.received.map((request) => request.url)).toEqual(['/events']);
    expect(server.received).toHaveLength(0);
    await other.close();
  });

  it('refuses to post while it has no event URL', async () => {
    // Prepare
    const bare = await startFeishuSandbox();

    // Act
    const post = (): unknown => bare.postToChat({ chatId: 'oc_1', messageType: 'image' });

    // Assess
    expect(post).toThrow(/no event URL/);
    await bare.close();
  });

  it('refuses an event URL that is not http://', () => {
    // Act
    const set = (): void => sandbox.setEventUrl('https://example.com/events');

    // Assess
    expect(set).toThrow(/http:\/\//);
  });

  it('verifies its event URL with url_verification and the echoed challenge', async () => {
    // Prepare
    server.answer({ status: 200, body: '{"challenge":"c-1"}' });

    // Act
    const result = await sandbox.verifyEventUrl('c-1');

    // Assess
    expect(result.ok).toBe(true);
    expect(readEvent(server.received[0]!, sandbox.encryptKey).event).toMatchObject({
      token: sandbox.verificationToken,
      type: 'url_verification',
    });
  });

  it('posts a message over HTTP and answers its ids and the attempts of its delivery', async () => {
    // Act
    const response = await postOverHttp(sandbox, 'oc_sandbox_1', { messageType: 'post', images: 3 });

    // Assess
    expect(response.status).toBe(200);
    const answer = (await response.json()) as ChatPostAnswer;
    expect(answer).toMatchObject({
      chat_id: 'oc_sandbox_1',
      message_id: expect.stringMatching(/^om_/),
      message_type: 'post',
      event_url: sandbox.eventUrl,
      delivered: true,
      pending: false,
      attempts: [expect.objectContaining({ kind: 'first', status: 200, ok: true })],
    });
    expect(answer.image_keys).toHaveLength(3);
    expect(eventsReceived(server, sandbox)[0]?.event.message.message_id).toBe(answer.message_id);
    expect(sandbox.eventDeliveries[0]?.eventId).toBe(answer.event_id);
  });

  it('answers over HTTP after the first attempt, saying when retries are still to come', async () => {
    // Prepare
    server.answer({ status: 500 }, { status: 200 });

    // Act
    const response = await postOverHttp(sandbox, 'oc_sandbox_1', { messageType: 'image' });

    // Assess
    expect(await response.json()).toMatchObject({
      delivered: false,
      pending: true,
      attempts: [expect.objectContaining({ status: 500, ok: false })],
    });
    await sandbox.eventDeliveries[0]?.done;
    expect(sandbox.eventDeliveries[0]?.attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
  });

  it.each([
    ['a body that is not JSON', 'messageType=image'],
    ['an unknown message type', { messageType: 'sticker' }],
    ['a post of no image', { messageType: 'post', images: 0 }],
    ['a post of too many images', { messageType: 'post', images: 21 }],
    ['an image message of two images', { messageType: 'image', images: 2 }],
    ['delivery options that are not an object', { messageType: 'image', delivery: null }],
  ])('answers the chat route 400 for %s, posting nothing', async (_case, body) => {
    // Act
    const response = await postOverHttp(sandbox, 'oc_sandbox_1', body);

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.any(String) });
    expect(sandbox.eventDeliveries).toEqual([]);
  });

  it('answers the chat route 409 while there is no event URL', async () => {
    // Prepare
    const bare = await startFeishuSandbox();

    // Act
    const response = await postOverHttp(bare, 'oc_1', { messageType: 'image' });

    // Assess
    expect(response.status).toBe(409);
    await bare.close();
  });

  it("keeps the chat route out of the recorded Feishu requests and the faults queued for Feishu's API", async () => {
    // Prepare
    sandbox.fault({ kind: { type: 'down' } });

    // Act
    const response = await postOverHttp(sandbox, 'oc_sandbox_1', { messageType: 'image' });

    // Assess
    expect(response.status).toBe(200);
    expect(sandbox.requests).toEqual([]);
  });

  it('cancels a delivery waiting for its retry when it closes', async () => {
    // Prepare
    const patient = await startFeishuSandbox({ eventUrl: `${server.endpoint}/feishu/events` });
    server.answer({ status: 500 });
    const posted = patient.postToChat({ chatId: 'oc_1', messageType: 'image' });
    await posted.delivery.firstAttempt;
    const closing = Date.now();

    // Act
    await patient.close();

    // Assess
    expect(await posted.delivery.done).toHaveLength(1);
    expect(Date.now() - closing).toBeLessThan(1000);
  });
});
