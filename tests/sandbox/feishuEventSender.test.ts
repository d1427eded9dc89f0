import { createServer } from 'node:net';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { readEvent } from './eventReceiver';
import {
  appTicket,
  type DeliveryOptions,
  EventSender,
  type EventSenderOptions,
  imageMessage,
  messageReceived,
  sandboxEventApp,
} from './feishu';

const encryptKey = 'sandbox-encrypt-key-0000';

/** A port nothing listens on: one just freed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

function anEvent(): ReturnType<typeof messageReceived> {
  return messageReceived({ ...imageMessage('img_v3_1'), chatId: 'oc_1' });
}

/** The event ids the receiver got, in order. */
function eventIdsReceived(server: ScriptedServer): unknown[] {
  return server.received.map((request) => (readEvent(request, encryptKey).event as { header: unknown }).header);
}

describe('Feishu event sender', () => {
  let server: ScriptedServer;
  let sender: EventSender;

  function newSender(options: Partial<EventSenderOptions> = {}): EventSender {
    sender = new EventSender({
      url: `${server.endpoint}/feishu/events`,
      encryptKey,
      verificationToken: sandboxEventApp.verificationToken,
      appId: sandboxEventApp.appId,
      retryDelaysMs: [40, 80, 120, 160],
      ...options,
    });
    return sender;
  }

  async function deliverOnce(options: DeliveryOptions = {}) {
    const event = anEvent();
    const attempts = await newSender().deliver(event, options);
    const request = server.received[0];
    if (request === undefined) throw new Error('nothing was received');
    return { event, attempts, request, read: readEvent(request, encryptKey) };
  }

  beforeEach(async () => {
    server = await startScriptedServer();
    server.answer({ status: 200, body: '{}' });
  });

  afterEach(async () => {
    await sender?.close();
    await server.close();
  });

  it('POSTs the event as {"encrypt": …} that decrypts to the event', async () => {
    // Act
    const { event, request, read } = await deliverOnce();

    // Assess
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/feishu/events');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.keys(JSON.parse(request.body.toString('utf8')))).toEqual(['encrypt']);
    expect(read).toMatchObject({ encrypted: true, event });
  });

  it('signs the raw bytes with a timestamp in seconds, a nonce and the Encrypt Key', async () => {
    // Act
    const { request, read } = await deliverOnce();

    // Assess
    expect(read.signatureValid).toBe(true);
    expect(Number(request.headers['x-lark-request-timestamp'])).toBeCloseTo(Date.now() / 1000, -1);
    expect(request.headers['x-lark-request-nonce']).toEqual(expect.any(String));
  });

  it('signs an indented body over its bytes as sent when asked for whitespace', async () => {
    // Act
    const { request, read } = await deliverOnce({ whitespace: true });

    // Assess
    expect(request.body.toString('utf8')).toContain('\n  "encrypt": ');
    expect(read.signatureValid).toBe(true);
  });

  it('sends the event itself, unencrypted, when asked', async () => {
    // Act
    const { event, read } = await deliverOnce({ encrypt: false });

    // Assess
    expect(read).toMatchObject({ encrypted: false, event });
  });

  it('leaves the three signature headers out when asked for no signature', async () => {
    // Act
    const { request } = await deliverOnce({ signature: 'none' });

    // Assess
    expect(Object.keys(request.headers).filter((name) => name.startsWith('x-lark-'))).toEqual([]);
  });

  it('sends a signature that does not match the body when asked for a wrong one', async () => {
    // Act
    const { request, read } = await deliverOnce({ signature: 'wrong' });

    // Assess
    expect(request.headers['x-lark-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(read.signatureValid).toBe(false);
  });

  it('sends the timestamp it is given, for tests of stale requests', async () => {
    // Act
    const { request, read } = await deliverOnce({ timestampSeconds: 1_600_000_000 });

    // Assess
    expect(request.headers['x-lark-request-timestamp']).toBe('1600000000');
    expect(read.signatureValid).toBe(true);
  });

  it('records one successful attempt with its status, time and the body answered', async () => {
    // Prepare
    server.answer({ status: 200, body: '{"code":0}' });

    // Act
    const { attempts } = await deliverOnce();

    // Assess
    expect(attempts).toEqual([
      {
        number: 0,
        kind: 'first',
        at: expect.any(Number),
        durationMs: expect.any(Number),
        status: 200,
        body: '{"code":0}',
        ok: true,
      },
    ]);
  });

  it('retries a 500 answer on the schedule, four times at most, with the same event', async () => {
    // Prepare
    server.answer({ status: 500, body: 'boom' });
    const delays = [40, 80, 120, 160];

    // Act
    const attempts = await newSender({ retryDelaysMs: [...delays, 10, 10] }).deliver(anEvent());

    // Assess
    expect(attempts.map((attempt) => [attempt.kind, attempt.status, attempt.ok])).toEqual([
      ['first', 500, false],
      ['retry', 500, false],
      ['retry', 500, false],
      ['retry', 500, false],
      ['retry', 500, false],
    ]);
    const gaps = attempts.slice(1).map((attempt, index) => attempt.at - (attempts[index]?.at ?? 0));
    // A timer may fire a millisecond early by the wall clock.
    expect(gaps.filter((gap, index) => gap < (delays[index] ?? 0) - 2)).toEqual([]);
    expect(new Set(eventIdsReceived(server).map((header) => JSON.stringify(header))).size).toBe(1);
  });

  it('stops retrying at the first 200', async () => {
    // Prepare
    server.answer({ status: 500 }, { status: 503 }, { status: 200 });

    // Act
    const attempts = await newSender().deliver(anEvent());

    // Assess
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 503, 200]);
    expect(server.received).toHaveLength(3);
  });

  it('counts any status other than 200 as a failure, 204 and redirects included', async () => {
    // Prepare
    server.answer({ status: 204 }, { status: 302, headers: { Location: '/' } }, { status: 200 });

    // Act
    const attempts = await newSender().deliver(anEvent());

    // Assess
    expect(attempts.map((attempt) => [attempt.status, attempt.ok])).toEqual([
      [204, false],
      [302, false],
      [200, true],
    ]);
  });

  it('counts an answer slower than the timeout as a failure and retries', async () => {
    // Prepare
    server.answer({ status: 200, delayMs: 400 }, { status: 200 });

    // Act
    const attempts = await newSender({ timeoutMs: 150 }).deliver(anEvent());

    // Assess
    expect(attempts[0]).toMatchObject({ error: 'timeout', ok: false });
    expect(attempts[0]?.status).toBeUndefined();
    expect(attempts[0]?.durationMs).toBeGreaterThanOrEqual(140);
    expect(attempts[0]?.durationMs).toBeLessThan(400);
    expect(attempts[1]).toMatchObject({ kind: 'retry', status: 200, ok: true });
  });

  it('counts a refused connection as a failure and retries it on the schedule', async () => {
    // Prepare
    const url = `http://127.0.0.1:${await closedPort()}/feishu/events`;

    // Act
    const attempts = await newSender({ url, retryDelaysMs: [10, 10] }).deliver(anEvent());

    // Assess
    expect(attempts.map((attempt) => [attempt.kind, attempt.ok])).toEqual([
      ['first', false],
      ['retry', false],
      ['retry', false],
    ]);
    expect(attempts[0]?.error).toMatch(/ECONNREFUSED/);
  });

  it('redelivers the same event after a success as many times as asked', async () => {
    // Act
    const attempts = await newSender().deliver(anEvent(), { redeliverAfterSuccess: 2, redeliverDelayMs: 20 });

    // Assess
    expect(attempts.map((attempt) => [attempt.number, attempt.kind, attempt.ok])).toEqual([
      [0, 'first', true],
      [1, 'redelivery', true],
      [2, 'redelivery', true],
    ]);
    const headers = eventIdsReceived(server);
    expect(headers).toHaveLength(3);
    expect(headers[1]).toEqual(headers[0]);
    expect(headers[2]).toEqual(headers[0]);
    // Each redelivery is a request of its own: another nonce and IV.
    expect(new Set(server.received.map((request) => request.headers['x-lark-request-nonce'])).size).toBe(3);
    expect(new Set(server.received.map((request) => request.body.toString('utf8'))).size).toBe(3);
  });

  it('redelivers at most ten times, whatever it is asked', async () => {
    // Act
    const attempts = await newSender().deliver(anEvent(), { redeliverAfterSuccess: 1000, redeliverDelayMs: 1 });

    // Assess
    expect(attempts.filter((attempt) => attempt.kind === 'redelivery')).toHaveLength(10);
  });

  it('redelivers nothing after a delivery that never succeeded', async () => {
    // Prepare
    server.answer({ status: 500 });

    // Act
    const attempts = await newSender({ retryDelaysMs: [10] }).deliver(anEvent(), { redeliverAfterSuccess: 3 });

    // Assess
    expect(attempts.map((attempt) => attempt.kind)).toEqual(['first', 'retry']);
  });

  it('delivers a 1.0 event and knows it by its uuid', async () => {
    // Prepare
    const ticket = appTicket();

    // Act
    const delivery = newSender().start(ticket);
    await delivery.done;

    // Assess
    expect(delivery.eventId).toBe(ticket.uuid);
    expect(readEvent(server.received[0]!, encryptKey).event).toEqual(ticket);
  });

  it('verifies the URL with url_verification, encrypted, and accepts the echoed challenge', async () => {
    // Prepare
    server.answer({ status: 200, body: '{"challenge":"c-1"}' });

    // Act
    const result = await newSender().verifyUrl('c-1');

    // Assess
    expect(result).toMatchObject({ ok: true, challenge: 'c-1' });
    expect(readEvent(server.received[0]!, encryptKey)).toMatchObject({
      encrypted: true,
      event: { challenge: 'c-1', token: sandboxEventApp.verificationToken, type: 'url_verification' },
    });
  });

  it('refuses a url_verification answer that echoes another challenge', async () => {
    // Prepare
    server.answer({ status: 200, body: '{"challenge":"other"}' });

    // Act
    const result = await newSender().verifyUrl('c-1');

    // Assess
    expect(result.ok).toBe(false);
    expect(result.attempt.status).toBe(200);
  });

  it('refuses a url_verification answer later than 1 s', async () => {
    // Prepare
    server.answer({ status: 200, body: '{"challenge":"c-1"}', delayMs: 1300 });

    // Act
    const result = await newSender().verifyUrl('c-1');

    // Assess
    expect(result).toMatchObject({ ok: false, attempt: { error: 'timeout' } });
  });

  it('ends a delivery waiting for its retry at once when closed', async () => {
    // Prepare
    server.answer({ status: 500 });
    const delivery = newSender({ retryDelaysMs: [60_000] }).start(anEvent());
    await delivery.firstAttempt;
    const closing = Date.now();

    // Act
    await sender.close();

    // Assess
    expect(await delivery.done).toHaveLength(1);
    expect(delivery.ended).toBe(true);
    expect(Date.now() - closing).toBeLessThan(1000);
  });

  it('cancels a request in flight when closed', async () => {
    // Prepare
    server.answer({ status: 200, delayMs: 10_000 });
    const delivery = newSender({ timeoutMs: 20_000 }).start(anEvent());
    while (server.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    // Act
    await sender.close();

    // Assess
    expect(await delivery.done).toEqual([expect.objectContaining({ error: 'cancelled', ok: false })]);
  });
});
