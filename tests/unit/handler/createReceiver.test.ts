import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { RecordTable } from '../../../lib/clients/Clients';
import { feishuEvents } from '../../../lib/endpoints';
import { createReceiver } from '../../../lib/handler/createReceiver';
import {
  appTicket,
  encryptEventBody,
  eventV2,
  imageMessage,
  mergeForwardMessage,
  messageReceived,
  postMessage,
  sandboxEventApp,
  stickerMessage,
  textMessage,
  urlVerification,
} from '../../sandbox/feishu';
import { EVENT_SECRETS, functionUrlFeishuEvent, restFeishuEvent } from '../../support/feishuEventRequests';
import { lambdaContext } from '../../support/lambdaContext';
import { logLinesOf } from '../../support/logCapture/logLinesOf';
import { testClients } from '../helpers/testClients';

const QUEUE_URL = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/feishu-image-mirror-prod-messageImage';
const SETTINGS = {
  FEISHU_APP_ID: EVENT_SECRETS.appId,
  FEISHU_ENCRYPT_KEY: EVENT_SECRETS.encryptKey,
  FEISHU_VERIFICATION_TOKEN: EVENT_SECRETS.verificationToken,
  MESSAGE_IMAGE_QUEUE_URL: QUEUE_URL,
  RATE_LIMIT_TABLE: 'feishu-image-mirror-prod-rate-limits',
};

/** Records in memory, with the table's conditions: a claim holds until it expires. */
function memoryRecords(): RecordTable & { items: Map<string, { holder?: string; expiresAt: number }> } {
  const items = new Map<string, { holder?: string; expiresAt: number }>();
  return {
    items,
    async claim(key, holder, expiresAt, now) {
      const there = items.get(key);
      if (there && there.expiresAt > now) return false;
      items.set(key, { holder, expiresAt });
      return true;
    },
    async settle(key, expiresAt) {
      items.set(key, { expiresAt });
    },
    async release(key, holder) {
      if (items.get(key)?.holder === holder) items.delete(key);
    },
  };
}

describe('Function: createReceiver (feishuEvents)', () => {
  const sqs = mockClient(SQSClient);
  let records: ReturnType<typeof memoryRecords>;
  let handler: ReturnType<typeof createReceiver>;
  const saved = { ...process.env };

  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: '' })),
      Failed: [],
    }));
    records = memoryRecords();
    handler = createReceiver(feishuEvents, testClients({ sqs: new SQSClient({}), records }));
    Object.assign(process.env, SETTINGS);
  });

  afterEach(() => {
    process.env = { ...saved };
  });

  const jobsSent = (): unknown[] =>
    sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .map((entry) => JSON.parse(entry.MessageBody ?? 'null'));

  const answerOf = async (event: unknown): Promise<APIGatewayProxyResult> => handler(event, lambdaContext());
  const bodyOf = (answer: APIGatewayProxyResult): Record<string, unknown> => JSON.parse(answer.body);

  describe('url_verification', () => {
    it('answers the challenge of an encrypted, unsigned url_verification', async () => {
      // Prepare
      const event = restFeishuEvent(urlVerification('c-7e1f', EVENT_SECRETS.verificationToken), { signature: 'none' });

      // Act
      const answer = await answerOf(event);

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(bodyOf(answer)).toEqual({ challenge: 'c-7e1f' });
      expect(jobsSent()).toEqual([]);
    });

    it('answers the challenge of a signed url_verification through the Function URL', async () => {
      // Prepare
      const event = functionUrlFeishuEvent(urlVerification('c-2a9b', EVENT_SECRETS.verificationToken));

      // Act
      const answer = await answerOf(event);

      // Assess
      expect(bodyOf(answer)).toEqual({ challenge: 'c-2a9b' });
    });

    it('refuses a url_verification with another Verification Token, 401', async () => {
      // Prepare
      const event = restFeishuEvent(urlVerification('c-1', 'someone-elses-token'), { signature: 'none' });

      // Act
      const answer = await answerOf(event);

      // Assess
      expect(answer.statusCode).toBe(401);
      expect(bodyOf(answer)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      expect(answer.body).not.toContain('c-1');
    });
  });

  describe('messages', () => {
    it('queues the image of an image message as one messageImage job', async () => {
      // Prepare
      const event = messageReceived({ ...imageMessage('img_v3_02ab_chat_1'), chatId: 'oc_9f1a', messageId: 'om_1a2b' });

      // Act
      const answer = await answerOf(restFeishuEvent(event));

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(bodyOf(answer)).toMatchObject({ outcome: 'queued', messageId: 'om_1a2b', images: 1 });
      expect(jobsSent()).toEqual([{ messageId: 'om_1a2b', fileKey: 'img_v3_02ab_chat_1' }]);
    });

    it('queues a post of 30 images as 30 jobs, 10 a SendMessageBatch', async () => {
      // Prepare
      const keys = Array.from({ length: 30 }, (_, i) => `img_v3_02ab_post_${i}`);
      const event = messageReceived({ ...postMessage(keys), chatId: 'oc_9f1a', messageId: 'om_post30' });

      // Act
      const answer = await answerOf(restFeishuEvent(event));

      // Assess
      expect(bodyOf(answer)).toMatchObject({ outcome: 'queued', images: 30 });
      expect(sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries?.length)).toEqual([
        10, 10, 10,
      ]);
      expect(jobsSent()).toEqual(keys.map((fileKey) => ({ messageId: 'om_post30', fileKey })));
    });

    it.each(['zh_cn', 'en_us'] as const)('queues the images of a post wrapped in the %s locale', async (form) => {
      // Prepare
      const event = messageReceived({ ...postMessage(['img_v3_a', 'img_v3_b'], { form }), chatId: 'oc_1' });

      // Act
      await answerOf(restFeishuEvent(event));

      // Assess
      expect(jobsSent()).toHaveLength(2);
    });

    it('accepts a signed body holding whitespace, as Feishu sent it', async () => {
      // Prepare
      const event = messageReceived({ ...imageMessage('img_v3_ws'), chatId: 'oc_1' });

      // Act
      const answer = await answerOf(restFeishuEvent(event, { whitespace: true }));

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(jobsSent()).toHaveLength(1);
    });

    it('reads a body API Gateway hands over base64-encoded', async () => {
      // Prepare
      const event = messageReceived({ ...imageMessage('img_v3_b64'), chatId: 'oc_1' });

      // Act
      const answer = await answerOf(functionUrlFeishuEvent(event, { base64: true }));

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(jobsSent()).toEqual([expect.objectContaining({ fileKey: 'img_v3_b64' })]);
    });

    it('queues nothing for a message delivered again after it was queued', async () => {
      // Prepare
      const event = messageReceived({ ...imageMessage('img_v3_again'), chatId: 'oc_1', messageId: 'om_again' });
      await answerOf(restFeishuEvent(event));

      // Act
      const again = await answerOf(restFeishuEvent({ ...event, header: { ...event.header, event_id: 'other' } }));

      // Assess
      expect(bodyOf(again)).toMatchObject({ outcome: 'duplicate' });
      expect(jobsSent()).toHaveLength(1);
    });

    it.each([
      ['a sticker', stickerMessage()],
      ['a merged-forward message', mergeForwardMessage()],
      ['a text message', textMessage('hello')],
      ['a post without an image', postMessage([])],
    ])('acknowledges %s and queues nothing', async (_, body) => {
      // Act
      const answer = await answerOf(restFeishuEvent(messageReceived({ ...body, chatId: 'oc_1' })));

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(bodyOf(answer)).toMatchObject({ outcome: 'skipped' });
      expect(jobsSent()).toEqual([]);
      expect(records.items.size).toBe(0);
    });

    it('skips the messages of chats EVENT_CHAT_IDS does not list', async () => {
      // Prepare
      process.env.EVENT_CHAT_IDS = 'oc_archived, oc_design';
      const elsewhere = messageReceived({ ...imageMessage(), chatId: 'oc_random' });
      const listed = messageReceived({ ...imageMessage('img_v3_listed'), chatId: 'oc_design' });

      // Act
      const answers = [await answerOf(restFeishuEvent(elsewhere)), await answerOf(restFeishuEvent(listed))];

      // Assess
      expect(answers.map((answer) => bodyOf(answer).outcome)).toEqual(['skipped', 'queued']);
      expect(jobsSent()).toEqual([expect.objectContaining({ fileKey: 'img_v3_listed' })]);
    });

    it('acknowledges and ignores other event types, and 1.0 events', async () => {
      // Prepare
      const other = eventV2('im.chat.member.bot.added_v1', { chat_id: 'oc_1' }, sandboxEventApp);

      // Act
      const answers = [await answerOf(restFeishuEvent(other)), await answerOf(restFeishuEvent(appTicket()))];

      // Assess
      expect(answers.map((answer) => [answer.statusCode, bodyOf(answer).outcome])).toEqual([
        [200, 'ignored'],
        [200, 'ignored'],
      ]);
      expect(jobsSent()).toEqual([]);
    });
  });

  describe('refusals', () => {
    const message = () => messageReceived({ ...imageMessage('img_v3_forged'), chatId: 'oc_1', messageId: 'om_forged' });
    const now = () => Math.floor(Date.now() / 1000);
    const encrypted = (plaintext: string, key: string = EVENT_SECRETS.encryptKey) =>
      JSON.stringify({ encrypt: encryptEventBody(key, plaintext) });
    const forged = (header: Record<string, string>) => {
      const event = message();
      return { ...event, header: { ...event.header, ...header } };
    };

    it.each([
      ['signed with another Encrypt Key', () => restFeishuEvent(message(), { signature: 'wrong' }), 401],
      ['not signed, and not a url_verification', () => restFeishuEvent(message(), { signature: 'none' }), 401],
      ['signed 6 minutes in the future', () => restFeishuEvent(message(), { timestampSeconds: now() + 360 }), 401],
      ['signed 9 hours ago', () => restFeishuEvent(message(), { timestampSeconds: now() - 9 * 3600 }), 401],
      ["carrying another app's Verification Token", () => restFeishuEvent(forged({ token: 'other-token' })), 401],
      ['for another app', () => restFeishuEvent(forged({ app_id: 'cli_other0000000' })), 401],
      ['not JSON', () => restFeishuEvent(message(), { rawBody: 'event=om_forged' }), 400],
      ['not encrypted', () => restFeishuEvent(message(), { encrypt: false }), 400],
      [
        'encrypted with another key',
        () => restFeishuEvent(message(), { rawBody: encrypted(JSON.stringify(message()), 'another-key') }),
        400,
      ],
      [
        'decrypting to text that is not JSON',
        () => restFeishuEvent(message(), { rawBody: encrypted('om_forged') }),
        400,
      ],
      [
        'a 2.0 event without a header',
        () => restFeishuEvent(message(), { rawBody: encrypted(JSON.stringify({ schema: '2.0', event: {} })) }),
        400,
      ],
      [
        'a message event without a message',
        () => restFeishuEvent(eventV2('im.message.receive_v1', { sender: {} }, sandboxEventApp)),
        400,
      ],
      [
        'larger than 1 MiB',
        () => restFeishuEvent(message(), { rawBody: `{"encrypt":"${'A'.repeat(1024 * 1024)}"}` }),
        413,
      ],
      [
        'larger than 1 MiB once decoded from base64',
        () => restFeishuEvent(message(), { rawBody: 'A'.repeat(1024 * 1024 + 1), base64: true }),
        413,
      ],
      ['not a POST', () => ({ ...restFeishuEvent(message()), httpMethod: 'GET' }), 400],
      ['a direct invocation', () => ({ encrypt: 'abc' }), 400],
    ])('refuses a request %s, queueing nothing and echoing nothing', async (_, request, status) => {
      // Act
      const answer = await answerOf(request());

      // Assess
      expect(answer.statusCode).toBe(status);
      expect(bodyOf(answer).error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect(answer.body).not.toMatch(/om_forged|img_v3_forged|encrypt"|sandbox-/);
      expect(jobsSent()).toEqual([]);
      expect(records.items.size).toBe(0);
    });

    it('refuses every request as MISCONFIGURED without an Encrypt Key, naming the setting and no value', async () => {
      // Prepare
      delete process.env.FEISHU_ENCRYPT_KEY;

      // Act
      const answer = await answerOf(restFeishuEvent(urlVerification('c-1', EVENT_SECRETS.verificationToken)));

      // Assess
      expect(answer.statusCode).toBe(500);
      expect(bodyOf(answer)).toMatchObject({ error: { code: 'MISCONFIGURED' } });
      expect(bodyOf(answer).error).toMatchObject({ message: expect.stringContaining('FEISHU_ENCRYPT_KEY') });
      expect(answer.body).not.toContain(EVENT_SECRETS.verificationToken);
    });

    it('logs each refusal once with its code and reason, and never a secret or the body', async () => {
      // Act
      const { lines } = await logLinesOf(() => answerOf(restFeishuEvent(message(), { signature: 'wrong' })));

      // Assess
      const refused = lines.filter((line) => line.message === 'event refused');
      expect(refused).toEqual([
        expect.objectContaining({ code: 'UNAUTHORIZED', reason: expect.stringContaining('signature') }),
      ]);
      const text = JSON.stringify(lines);
      for (const secret of [EVENT_SECRETS.encryptKey, EVENT_SECRETS.verificationToken, 'om_forged']) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('failures to queue', () => {
    it('answers 500 QUEUE_ERROR when SQS keeps failing an entry, and releases the claim for the retry', async () => {
      // Prepare
      sqs.on(SendMessageBatchCommand).resolves({
        Successful: [],
        Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }],
      });
      const event = messageReceived({ ...imageMessage('img_v3_retry'), chatId: 'oc_1', messageId: 'om_retry' });

      // Act
      const answer = await answerOf(restFeishuEvent(event));

      // Assess
      expect(answer.statusCode).toBe(500);
      expect(bodyOf(answer)).toMatchObject({ error: { code: 'QUEUE_ERROR', retryable: true } });
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
      expect(records.items.size).toBe(0);
    });

    it('finishes the work when Feishu delivers the event again after a failure to queue', async () => {
      // Prepare
      sqs.on(SendMessageBatchCommand).rejectsOnce(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
      const event = messageReceived({ ...imageMessage('img_v3_later'), chatId: 'oc_1', messageId: 'om_later' });
      const first = await answerOf(restFeishuEvent(event));
      sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }] });

      // Act
      const second = await answerOf(restFeishuEvent(event));

      // Assess
      expect([first.statusCode, second.statusCode]).toEqual([500, 200]);
      expect(bodyOf(second)).toMatchObject({ outcome: 'queued' });
      expect(records.items.get(`feishu-event|${EVENT_SECRETS.appId}|message|om_later`)?.holder).toBeUndefined();
    });

    it('sends again only the entries SQS failed', async () => {
      // Prepare
      sqs
        .on(SendMessageBatchCommand)
        .resolvesOnce({
          Successful: [{ Id: '0', MessageId: 'm0', MD5OfMessageBody: '' }],
          Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }],
        })
        .resolves({ Successful: [{ Id: '1', MessageId: 'm1', MD5OfMessageBody: '' }] });
      const event = messageReceived({ ...postMessage(['img_v3_0', 'img_v3_1']), chatId: 'oc_1' });

      // Act
      const answer = await answerOf(restFeishuEvent(event));

      // Assess
      expect(answer.statusCode).toBe(200);
      const sent = sqs
        .commandCalls(SendMessageBatchCommand)
        .map((call) => call.args[0].input.Entries?.map((e) => e.Id));
      expect(sent).toEqual([['0', '1'], ['1']]);
    });
  });
});
