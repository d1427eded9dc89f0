import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handler as baikeImage } from '../../functions/baikeImage';
import { handler as helpdeskFaqImage } from '../../functions/helpdeskFaqImage';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import { clearTenantTokens } from '../../lib/feishu/tenantToken';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { pngForId } from '../sandbox/feishu';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

const USER_TOKEN = 'u-RT!abc';
const FAQ = '6936004780707807251';

/** What a caller could see of a failure: its whole error, as JSON. */
async function failureText(invocation: Promise<unknown>): Promise<string> {
  try {
    await invocation;
  } catch (error) {
    const { name, message, code, feishuMsg, logId } = error as Record<string, unknown>;
    return JSON.stringify({ name, message, code, feishuMsg, logId });
  }
  throw new Error('the invocation did not fail');
}

describe('A Feishu that misbehaves', () => {
  const env = useMirrorEnvironment({ userTokens: [USER_TOKEN] });

  describe('tokens echoed back', () => {
    it('never shows the tenant token, even percent-encoded after "Bearer%20"', async () => {
      // Prepare
      env.feishu.fault({
        endpoint: 'im',
        kind: { type: 'echo', status: 400, code: 234001, msg: 'invalid header {authorization:uri}' },
      });

      // Act
      const text = await failureText(imImage({ imageKey: 'img_v3_echo_1' }, lambdaContext()));

      // Assess
      expect(text).toContain('invalid header Bearer%20[redacted]');
      expect(text).not.toMatch(/t-[A-Za-z0-9]{8,}/);
    });

    it("never shows a caller's user token, whatever characters it holds", async () => {
      // Prepare
      env.feishu.fault({
        endpoint: 'baike',
        kind: { type: 'echo', status: 400, code: 1540001, msg: 'token {authorization} is not allowed here' },
      });

      // Act
      const text = await failureText(
        baikeImage({ fileToken: 'boxcn_echo_2', userAccessToken: USER_TOKEN }, lambdaContext()),
      );

      // Assess
      expect(text).toContain('token Bearer [redacted] is not allowed here');
      expect(text).not.toContain(USER_TOKEN);
    });

    it('never shows the helpdesk authorization value, the base64 of the helpdesk id and token', async () => {
      // Prepare
      env.feishu.fault({
        endpoint: 'helpdesk',
        kind: { type: 'echo', status: 400, code: 154000, msg: 'bad helpdesk header {helpdesk}' },
      });
      const header = Buffer.from(`${env.feishu.helpdeskId}:${env.feishu.helpdeskToken}`).toString('base64');

      // Act
      const text = await failureText(helpdeskFaqImage({ faqId: FAQ, imageKey: 'img_echo_3' }, lambdaContext()));

      // Assess
      expect(text).toContain('bad helpdesk header [redacted]');
      expect(text).not.toContain(header);
    });
  });

  describe('log ids', () => {
    it('drops a log id holding a token from the answer', async () => {
      // Prepare
      env.feishu.fault({
        endpoint: 'im',
        kind: {
          type: 'raw',
          status: 400,
          headers: { 'Content-Type': 'application/json', 'X-Tt-Logid': 't-g1044qeGEDXTB6NDJOGV4JQX6NDA2' },
          body: '{"code":234005,"msg":"image has been deleted"}',
        },
      });

      // Act
      const invocation = imImage({ imageKey: 'img_v3_logid_1' }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({ code: 'NOT_FOUND', logId: undefined });
    });

    it('stores an image whose log id holds bytes beyond ASCII, without that log id', async () => {
      // Prepare
      const png = pngForId('img_v3_logid_2');
      env.feishu.fault({
        endpoint: 'im',
        kind: {
          type: 'raw',
          status: 200,
          headers: { 'Content-Type': 'image/png', 'X-Tt-Logid': `2026112108${String.fromCharCode(0xe9, 0xa0)}A1` },
          body: png,
        },
      });

      // Act
      const answer = (await imImage({ imageKey: 'img_v3_logid_2' }, lambdaContext())) as MirrorAnswer;

      // Assess
      const stored = await env.object(answer.key);
      expect(stored.bytes.equals(png)).toBe(true);
      expect(stored.metadata['feishu-log-id']).toBeUndefined();
    });
  });

  it('parses a malformed Content-Type properly and takes the type the bytes show', async () => {
    // Prepare
    env.feishu.fault({
      endpoint: 'im',
      kind: {
        type: 'raw',
        status: 200,
        headers: { 'Content-Type': 'image/png"; filename=evil.html' },
        body: pngForId('img_v3_ctype'),
      },
    });

    // Act
    const answer = (await imImage({ imageKey: 'img_v3_ctype' }, lambdaContext())) as MirrorAnswer;

    // Assess
    expect(answer.contentType).toBe('image/png');
    expect((await env.object(answer.key)).contentType).toBe('image/png');
  });

  it('answers a valid Retry-After when Feishu asks to wait an absurd time', async () => {
    // Prepare
    const reset = '9'.repeat(400);
    env.feishu.fault({
      endpoint: 'whiteboard',
      times: Infinity,
      kind: {
        type: 'raw',
        status: 429,
        headers: { 'Content-Type': 'application/json', 'x-ogw-ratelimit-limit': '10', 'x-ogw-ratelimit-reset': reset },
        body: '{"code":2890006,"msg":"too many requests"}',
      },
    });
    const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');

    // Act
    const answer = (await whiteboardImage(event, lambdaContext())) as APIGatewayProxyResult;

    // Assess
    expect(answer.statusCode).toBe(429);
    expect(answer.headers?.['Retry-After']).toMatch(/^\d{1,7}$/);
    expect(Number(answer.headers?.['Retry-After'])).toBeLessThanOrEqual(3600);
    expect(env.feishu.count('whiteboard')).toBe(1);
  });

  it('reads no more than the start of an oversized token answer', async () => {
    // Prepare
    clearTenantTokens();
    env.feishu.fault({
      endpoint: 'token',
      kind: {
        type: 'raw',
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { length: 64 * 1024 * 1024, chunk: Buffer.alloc(64 * 1024, 0x20) },
      },
    });

    // Act
    const invocation = imImage({ imageKey: 'img_v3_big_token' }, lambdaContext());

    // Assess
    await expect(invocation).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    const tokenRequest = env.feishu.requests.find((request) => request.endpoint === 'token');
    expect(tokenRequest?.bytesSent).toBeLessThan(16 * 1024 * 1024);
  });
});
