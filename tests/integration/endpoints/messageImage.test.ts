import type { APIGatewayProxyResult } from 'aws-lambda';
import { handler as messageImage } from '../../../functions/messageImage';
import { MAX_ATTEMPTS } from '../../../lib/feishu/retryPolicy';
import type { MirrorAnswer } from '../../../lib/mirror/MirrorAnswer';
import { lambdaContext } from '../../support/lambdaContext';
import { loadEvent } from '../../support/loadEvent';
import { useMirrorEnvironment } from '../../support/useMirrorEnvironment';

const MESSAGE = 'om_dc13264520392913993dd051dba21dcf';
const ALICE = 'u-3sZ2bVqf8w1XkTq0aYc7LrNn5e9P';

describe('Function: messageImage (images sent in chats)', () => {
  const env = useMirrorEnvironment({ userTokens: [ALICE] });
  const calls = () => env.feishu.requests.filter((request) => request.endpoint === 'imMessage');

  it('stores the image under im-message/{messageId}/{fileKey}, asking Feishu for the image type', async () => {
    // Act
    const answer = (await messageImage(
      { messageId: MESSAGE, fileKey: 'img_v3_02ab_chat_1' },
      lambdaContext(),
    )) as MirrorAnswer;

    // Assess
    expect(answer).toMatchObject({
      kind: 'im-message',
      source: { messageId: MESSAGE, fileKey: 'img_v3_02ab_chat_1' },
      key: `feishu/im-message/${MESSAGE}/img_v3_02ab_chat_1`,
      contentType: 'image/png',
      cached: false,
    });
    expect(calls().map((call) => [call.path, call.query.type, call.tokenKind])).toEqual([
      [`/open-apis/im/v1/messages/${MESSAGE}/resources/img_v3_02ab_chat_1`, 'image', 'tenant'],
    ]);
    expect((await fetch(answer.url)).status).toBe(200);
  });

  it('answers a stored chat image from S3 without asking Feishu again', async () => {
    // Prepare
    await messageImage({ messageId: MESSAGE, fileKey: 'img_v3_02ab_chat_2' }, lambdaContext());

    // Act
    const answer = (await messageImage(
      { messageId: MESSAGE, fileKey: 'img_v3_02ab_chat_2' },
      lambdaContext(),
    )) as MirrorAnswer;

    // Assess
    expect(answer.cached).toBe(true);
    expect(calls()).toHaveLength(1);
  });

  it('answers a Function URL request on its route with the image', async () => {
    // Act
    const result = (await messageImage(
      loadEvent('function-url/message-image.json'),
      lambdaContext(),
    )) as APIGatewayProxyResult;

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ kind: 'im-message', source: { fileKey: 'img_v3_02ab_chat_5e1f' } });
  });

  it("refuses a caller's user token as INVALID_REQUEST, calling no one: the API takes only the tenant's", async () => {
    // Act
    const call = messageImage({ messageId: MESSAGE, fileKey: 'img_v3_x', userAccessToken: ALICE }, lambdaContext());

    // Assess
    await expect(call).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: "userAccessToken is not accepted here: the chat image API takes only the app's tenant token",
    });
    expect(calls()).toEqual([]);
  });

  it.each([
    ['230110', 'a deleted message', 'messageId', 'NOT_FOUND'],
    ['234003', 'a file that is not in the message', 'fileKey', 'NOT_FOUND'],
    ['234004', 'a chat the app is not in', 'fileKey', 'FORBIDDEN'],
    ['234009', 'a message the app may not read', 'fileKey', 'FORBIDDEN'],
    ['234038', 'a chat whose settings forbid downloads', 'fileKey', 'FORBIDDEN'],
    ['234040', 'a message the app cannot see', 'fileKey', 'FORBIDDEN'],
    ['234037', 'a file over 100 MB', 'fileKey', 'PAYLOAD_TOO_LARGE'],
    ['234043', 'a message type with no downloadable image', 'fileKey', 'INVALID_REQUEST'],
    ['234007', 'an app without the bot capability', 'fileKey', 'MISCONFIGURED'],
  ])('answers Feishu code %s (%s) as %s', async (code, _, idName, expected) => {
    // Prepare
    const payload = { messageId: MESSAGE, fileKey: 'img_v3_x', [idName]: `err-${code}` };

    // Act
    const call = messageImage(payload, lambdaContext());

    // Assess
    await expect(call).rejects.toMatchObject({ code: expected, feishuCode: Number(code), retryable: false });
    expect(calls()).toHaveLength(1);
  });

  it('answers 234002 (authorization rejected) as MISCONFIGURED after one fresh tenant token', async () => {
    // Act
    const call = messageImage({ messageId: MESSAGE, fileKey: 'err-234002' }, lambdaContext());

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'MISCONFIGURED', feishuCode: 234002 });
    expect(calls()).toHaveLength(2);
  });

  it('retries an internal error of Feishu and answers UPSTREAM_ERROR, retryable, when it persists', async () => {
    // Act
    const call = messageImage({ messageId: MESSAGE, fileKey: 'err-http-500' }, lambdaContext());

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true });
    expect(calls()).toHaveLength(MAX_ATTEMPTS);
  });
});
