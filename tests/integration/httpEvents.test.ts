import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult } from 'aws-lambda';
import { handler as baikeImage } from '../../functions/baikeImage';
import { handler as helpdeskFaqImage } from '../../functions/helpdeskFaqImage';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import type { MirrorHandler } from '../../lib/handler/createHandler';
import { pngForId } from '../sandbox/feishu';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

/** The REST (v1) im event for another image key and query. */
function restIm(imageKey: string, query: Record<string, string> | null = null): APIGatewayProxyEvent {
  const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/im.json');
  event.pathParameters = { imageKey };
  event.path = `/im/images/${imageKey}`;
  event.queryStringParameters = query;
  event.multiValueQueryStringParameters = query && Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]));
  return event;
}

async function call(handler: MirrorHandler, event: unknown, remainingMs = 60_000): Promise<APIGatewayProxyResult> {
  return (await handler(event, lambdaContext(remainingMs))) as APIGatewayProxyResult;
}

describe('HTTP events through the real handlers', () => {
  const env = useMirrorEnvironment();

  it('answers an API Gateway REST event with 200 and the JSON answer, not to be cached', async () => {
    // Prepare
    const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
    event.queryStringParameters = null;
    event.multiValueQueryStringParameters = null;

    // Act
    const result = await call(whiteboardImage, event);

    // Assess
    const answer = JSON.parse(result.body) as { url: string; source: Record<string, string> };
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    expect(answer.source).toEqual({ whiteboardId: event.pathParameters?.whiteboardId });
    expect((await fetch(answer.url)).status).toBe(200);
  });

  it('answers 302 to the presigned URL when asked to redirect', async () => {
    // Act
    const result = await call(imImage, restIm('img_redirect_1', { redirect: 'true' }));

    // Assess
    const location = String(result.headers?.Location);
    const image = await fetch(location);
    expect(result.statusCode).toBe(302);
    expect(Buffer.from(await image.arrayBuffer()).equals(pngForId('img_redirect_1'))).toBe(true);
  });

  it('answers an HTTP API (payload v2) event', async () => {
    // Act
    const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json');
    const result = await call(baikeImage, event);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({
      kind: 'baike',
      source: { fileToken: event.pathParameters?.fileToken },
    });
  });

  it('answers a Function URL event, taking the ids from the raw path', async () => {
    // Act
    const result = await call(imImage, loadEvent('function-url/im.json'));

    // Assess
    const answer = JSON.parse(result.body) as { url: string; source: { imageKey: string } };
    expect(result.statusCode).toBe(200);
    expect(answer.source.imageKey).toBe('img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g');
    expect((await fetch(answer.url)).headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('answers a Function URL event for the two-id helpdesk route', async () => {
    // Act
    const result = await call(helpdeskFaqImage, loadEvent('function-url/helpdesk-faq.json'));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({
      kind: 'helpdesk-faq',
      key: expect.stringMatching(/^feishu\/helpdesk-faq\/[^/]+\/[^/]+$/),
    });
  });

  it("uses the caller's X-Feishu-User-Token for a whiteboard", async () => {
    // Prepare
    const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/whiteboard-user-token.json');
    const token =
      Object.entries(event.headers).find(([name]) => name.toLowerCase() === 'x-feishu-user-token')?.[1] ?? '';
    env.feishu.addUserToken(token);

    // Act
    const result = await call(whiteboardImage, event);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(env.feishu.requests.map((r) => r.tokenKind)).toEqual(['user']);
    expect(result.body).not.toContain(token);
  });

  describe('failures answer the error table', () => {
    it.each([
      ['a bad option', 400, 'INVALID_REQUEST', () => restIm('img_1', { expiresIn: '99999999' })],
      [
        'a user token where only the tenant token goes',
        400,
        'INVALID_REQUEST',
        () => ({ ...restIm('img_1'), headers: { 'X-Feishu-User-Token': 'u-abcdefghijklmnop' } }),
      ],
      ['an image this app did not upload', 403, 'FORBIDDEN', () => restIm('err-234008')],
      ['a deleted image', 404, 'NOT_FOUND', () => restIm('err-234005')],
      ['a bot without the capability', 500, 'MISCONFIGURED', () => restIm('err-234007')],
      ['a Feishu that keeps failing', 502, 'UPSTREAM_ERROR', () => restIm('err-http-502')],
    ])('answers %s with HTTP %i and code %s', async (_, status, code, event) => {
      // Act
      const result = await call(imImage, event());

      // Assess
      expect(result.statusCode).toBe(status);
      expect(result.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      expect(JSON.parse(result.body)).toEqual({
        error: expect.objectContaining({ code, message: expect.any(String), retryable: expect.any(Boolean) }),
      });
    });

    it("answers 401 when Feishu rejects the caller's own token", async () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/whiteboard-user-token.json');
      event.headers['x-feishu-user-token'] = 'u-ExpiredLongAgo0000000000000';

      // Act
      const result = await call(whiteboardImage, event);

      // Assess
      expect(result.statusCode).toBe(401);
      expect(JSON.parse(result.body).error).toMatchObject({
        code: 'UNAUTHORIZED',
        feishuCode: 99991668,
        logId: expect.any(String),
      });
    });

    it('answers 413 for an image over MAX_IMAGE_BYTES', async () => {
      // Prepare
      env.setEnv({ MAX_IMAGE_BYTES: '4096' });

      // Act
      const result = await call(imImage, restIm('img_too_big_for_setting'));

      // Assess
      expect(result.statusCode).toBe(413);
      env.setEnv({ MAX_IMAGE_BYTES: undefined });
    });

    it('answers 429 with Retry-After when Feishu stays rate-limited', async () => {
      // Prepare
      env.feishu.fault({ endpoint: 'im', kind: { type: 'rateLimit', resetSeconds: 40 } });

      // Act
      const result = await call(imImage, restIm('img_429'), 5_000);

      // Assess
      expect(result.statusCode).toBe(429);
      expect(result.headers?.['Retry-After']).toBe('40');
      expect(JSON.parse(result.body).error).toMatchObject({
        code: 'RATE_LIMITED',
        retryable: true,
        feishuCode: 99991400,
      });
    });

    it('answers 504 when Feishu is too slow for the time left', async () => {
      // Act
      const result = await call(imImage, restIm('slow-8000'), 2_000);

      // Assess
      expect(result.statusCode).toBe(504);
      expect(JSON.parse(result.body).error.code).toBe('UPSTREAM_TIMEOUT');
    });
  });
});
