import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyResult } from 'aws-lambda';
import { handler as driveMedia } from '../../../functions/driveMedia';
import { secondsUntilNextFeishuDay } from '../../../lib/feishu/feishuDay';
import { MAX_ATTEMPTS } from '../../../lib/feishu/retryPolicy';
import type { MirrorAnswer } from '../../../lib/mirror/MirrorAnswer';
import { pngForId } from '../../sandbox/feishu';
import { lambdaContext } from '../../support/lambdaContext';
import { loadEvent } from '../../support/loadEvent';
import { useMirrorEnvironment } from '../../support/useMirrorEnvironment';

const DOCUMENT = 'doxcnQ8dUQhV1vcTdEYZhzBbWkb';
const ALICE = 'u-3sZ2bVqf8w1XkTq0aYc7LrNn5e9P';
/** A user token of no token's shape: the function knows it as a secret only because the caller sent it. */
const ODD_USER_TOKEN = 'u-RT!abc';
/** The tenant tokens the sandbox issues. */
const TENANT_TOKEN_SHAPE = /t-[0-9a-f]{40}/;

const mirror = async (payload: Record<string, unknown>): Promise<MirrorAnswer> =>
  (await driveMedia(payload, lambdaContext())) as MirrorAnswer;

describe('Function: driveMedia (images of documents)', () => {
  const env = useMirrorEnvironment({ userTokens: [ALICE, ODD_USER_TOKEN] });
  const calls = () => env.feishu.requests.filter((request) => request.endpoint === 'driveMedia');

  it('stores the media under drive-media/{fileToken}', async () => {
    // Act
    const answer = await mirror({ fileToken: 'boxcnMediaPlain1' });

    // Assess
    expect(answer).toMatchObject({ kind: 'drive-media', key: 'feishu/drive-media/boxcnMediaPlain1', cached: false });
    expect(calls().map((call) => [call.path, call.query])).toEqual([
      ['/open-apis/drive/v1/medias/boxcnMediaPlain1/download', {}],
    ]);
    expect((await fetch(answer.url)).status).toBe(200);
  });

  it("names the document in Feishu's extra when the caller gives documentId, and keeps the same key", async () => {
    // Act
    const answer = await mirror({ fileToken: 'docmedia_1', documentId: DOCUMENT });

    // Assess
    expect(answer).toMatchObject({ key: 'feishu/drive-media/docmedia_1', source: { documentId: DOCUMENT } });
    const extra = calls()[0]?.query.extra ?? '';
    expect(JSON.parse(extra)).toEqual({ doc_id: DOCUMENT, doc_type: 'docx' });
  });

  it('answers media that needs its document FORBIDDEN without documentId, saying to give it', async () => {
    // Act
    const call = mirror({ fileToken: 'docmedia_2' });

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'FORBIDDEN', feishuCode: 1061004 });
    await expect(mirror({ fileToken: 'docmedia_2' })).rejects.toThrow(/give its documentId/);
  });

  it('takes documentId from the query string over the HTTP API', async () => {
    // Prepare
    const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/drive-media.json');

    // Act
    const result = (await driveMedia(event, lambdaContext())) as APIGatewayProxyResult;

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ source: { documentId: DOCUMENT } });
    expect(JSON.parse(calls()[0]?.query.extra ?? '')).toMatchObject({ doc_id: DOCUMENT });
  });

  it("serves the file under Feishu's own name, in any script, with the stored type's extension", async () => {
    // Prepare
    const answer = await mirror({ fileToken: 'boxcn_unicode_1' });

    // Act
    const served = await fetch(answer.url);

    // Assess
    expect(answer.fileName).toBe('架构图 v2');
    expect(served.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''%E6%9E%B6%E6%9E%84%E5%9B%BE%20v2.png",
    );
  });

  it('serves a Latin-1 name in UTF-8 as filename*, with an unaccented ASCII filename for old clients', async () => {
    // Prepare
    const answer = await mirror({ fileToken: 'boxcn_latin1_1' });

    // Act
    const served = await fetch(answer.url);

    // Assess
    const disposition = `inline; filename="Cafe resume.png"; filename*=UTF-8''Caf%C3%A9%20r%C3%A9sum%C3%A9.png`;
    expect(answer.fileName).toBe('Café résumé');
    expect(new URL(answer.url).searchParams.get('response-content-disposition')).toBe(disposition);
    expect(served.headers.get('content-disposition')).toBe(disposition);
  });

  it('keeps the name it serves after the image is answered from S3', async () => {
    // Prepare
    await mirror({ fileToken: 'boxcn_unicode_2' });

    // Act
    const answer = await mirror({ fileToken: 'boxcn_unicode_2' });

    // Assess
    expect(answer).toMatchObject({ cached: true, fileName: '架构图 v2' });
  });

  it("makes a hostile name safe: no path, no quotes, no control characters, the stored type's extension", async () => {
    // Prepare
    const answer = await mirror({ fileToken: 'boxcn_hostile_1' });

    // Act
    const disposition = (await fetch(answer.url)).headers.get('content-disposition') ?? '';

    // Assess
    expect(answer.fileName).toBeDefined();
    expect(answer.fileName).not.toMatch(/[/\\"\p{Cc}]/u);
    expect(answer.fileName!.startsWith('.')).toBe(false);
    expect(disposition).toMatch(/^inline; filename="[^"/\\]+\.png"/);
  });

  it('stores and serves PNG bytes that Feishu declares image/png.html as image/png, under a .png name', async () => {
    // Prepare
    env.feishu.fault({
      endpoint: 'driveMedia',
      kind: {
        type: 'raw',
        status: 200,
        headers: { 'Content-Type': 'image/png.html', 'Content-Disposition': 'attachment; filename="chart.png"' },
        body: pngForId('boxcn_chart_1'),
      },
    });

    // Act
    const answer = await mirror({ fileToken: 'boxcn_chart_1' });
    const served = await fetch(answer.url);

    // Assess
    expect(answer).toMatchObject({ contentType: 'image/png', fileName: 'chart' });
    expect((await env.object(answer.key)).contentType).toBe('image/png');
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-disposition')).toBe('inline; filename="chart.png"');
  });

  it("drops a file name that is the request's own tenant token: the id names the file everywhere", async () => {
    // Prepare
    const answer = await mirror({ fileToken: 'boxcn_echotoken_1' });

    // Act
    const served = await fetch(answer.url);

    // Assess
    expect(answer.fileName).toBeUndefined();
    expect(JSON.stringify(answer)).not.toMatch(TENANT_TOKEN_SHAPE);
    expect(decodeURIComponent(answer.url)).not.toMatch(TENANT_TOKEN_SHAPE);
    expect(served.headers.get('content-disposition')).toBe('inline; filename="boxcn_echotoken_1.png"');
    expect((await env.object(answer.key)).metadata).not.toHaveProperty('file-name');
  });

  it("drops a file name that is the caller's user token, whatever its shape", async () => {
    // Prepare
    const answer = await mirror({ fileToken: 'boxcn_echotoken_2', userAccessToken: ODD_USER_TOKEN });

    // Act
    const served = await fetch(answer.url);

    // Assess
    expect(answer.fileName).toBeUndefined();
    expect(decodeURIComponent(answer.url)).not.toContain(ODD_USER_TOKEN);
    expect(served.headers.get('content-disposition')).toBe('inline; filename="boxcn_echotoken_2.png"');
    expect((await env.object(answer.key)).metadata).not.toHaveProperty('file-name');
  });

  it('serves from S3 under its file token an image stored before with a name holding a token', async () => {
    // Prepare: what an earlier version stored when Feishu echoed the tenant token as the name.
    const bytes = pngForId('boxcn_stored_name_1');
    const echoed = `t-${'0a1b2c3d4e'.repeat(4)}`;
    await env.client.send(
      new PutObjectCommand({
        Bucket: env.bucket,
        Key: 'feishu/drive-media/boxcn_stored_name_1',
        Body: bytes,
        ContentType: 'image/png',
        Metadata: {
          sha256: createHash('sha256').update(bytes).digest('hex'),
          'fetched-at': '2026-11-21T08:15:42.123Z',
          'file-name': echoed,
        },
      }),
    );

    // Act
    const answer = await mirror({ fileToken: 'boxcn_stored_name_1' });
    const served = await fetch(answer.url);

    // Assess
    expect(answer).toMatchObject({ cached: true });
    expect(answer.fileName).toBeUndefined();
    expect(decodeURIComponent(answer.url)).not.toContain(echoed);
    expect(served.headers.get('content-disposition')).toBe('inline; filename="boxcn_stored_name_1.png"');
    expect(calls()).toHaveLength(0);
  });

  it('names the file after its token when Feishu gives no name', async () => {
    // Prepare
    const answer = await mirror({ fileToken: 'boxcn_noname_1' });

    // Act
    const disposition = (await fetch(answer.url)).headers.get('content-disposition');

    // Assess
    expect(answer.fileName).toBeUndefined();
    expect(disposition).toBe('inline; filename="boxcn_noname_1.png"');
  });

  it("reads media only a user may read with the user's token, and answers the tenant FORBIDDEN", async () => {
    // Act
    const user = await mirror({ fileToken: 'useronly_media_1', userAccessToken: ALICE });
    const tenant = mirror({ fileToken: 'useronly_media_1' });

    // Assess
    expect(user.key).toMatch(/^feishu\/user-token\/[0-9a-f]{32}\/drive-media\/useronly_media_1$/);
    await expect(tenant).rejects.toMatchObject({ code: 'FORBIDDEN', feishuCode: 1061004 });
  });

  it("answers 1061005 with the caller's user token as UNAUTHORIZED, without retrying", async () => {
    // Act
    const call = mirror({ fileToken: 'err-1061005', userAccessToken: ALICE });

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'UNAUTHORIZED', feishuCode: 1061005 });
    expect(calls()).toHaveLength(1);
  });

  it('answers 1061005 with the tenant token as MISCONFIGURED after one fresh token', async () => {
    // Act
    const call = mirror({ fileToken: 'err-1061005' });

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'MISCONFIGURED', feishuCode: 1061005 });
    expect(calls()).toHaveLength(2);
  });

  it.each([
    ['1061002', 'INVALID_REQUEST'],
    ['1061003', 'NOT_FOUND'],
    ['1061007', 'NOT_FOUND'],
    ['1061004', 'FORBIDDEN'],
  ])('answers Feishu code %s as %s, not retried', async (code, expected) => {
    // Act
    const call = mirror({ fileToken: `err-${code}` });

    // Assess
    await expect(call).rejects.toMatchObject({ code: expected, feishuCode: Number(code), retryable: false });
    expect(calls()).toHaveLength(1);
  });

  it.each(['1061001', '1061006'])('retries Feishu code %s and answers UPSTREAM_ERROR, retryable', async (code) => {
    // Act
    const call = mirror({ fileToken: `err-${code}` });

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', feishuCode: Number(code), retryable: true });
    expect(calls()).toHaveLength(MAX_ATTEMPTS);
  });

  it('answers 1061073 as MISCONFIGURED, naming the scope the app lacks', async () => {
    // Act
    const call = mirror({ fileToken: 'err-1061073' });

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'MISCONFIGURED', feishuCode: 1061073 });
    await expect(mirror({ fileToken: 'err-1061073' })).rejects.toThrow(/docs:document\.media:download/);
  });

  describe('when the daily quota runs out', () => {
    beforeEach(() => env.feishu.setDriveMediaDailyQuota(2));
    afterEach(() => env.feishu.setDriveMediaDailyQuota(10_000));

    it('answers RATE_LIMITED, not retryable, until the next Feishu day, once Feishu says it is spent', async () => {
      // Prepare
      await mirror({ fileToken: 'boxcnQuota1' });
      await mirror({ fileToken: 'boxcnQuota2' });

      // Act
      const call = mirror({ fileToken: 'boxcnQuota3' });

      // Assess
      await expect(call).rejects.toMatchObject({ code: 'RATE_LIMITED', retryable: false, feishuCode: 1061045 });
      const error = await mirror({ fileToken: 'boxcnQuota4' }).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: false });
      expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(
        secondsUntilNextFeishuDay(Date.now()) - 60,
      );
      expect(calls()).toHaveLength(3);
    });

    it('answers HTTP 429 with the Retry-After, and says plainly that the day is used up', async () => {
      // Prepare
      env.setEnv({ DRIVE_MEDIA_RATE_LIMIT: '5/s,1/day' });
      await mirror({ fileToken: 'boxcnQuota5' });
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/drive-media.json');
      // A stored copy would answer without a call: the quota is about calls.
      event.rawQueryString += '&refresh=true';

      // Act
      const result = (await driveMedia(event, lambdaContext())) as APIGatewayProxyResult;

      // Assess
      env.setEnv({ DRIVE_MEDIA_RATE_LIMIT: undefined });
      expect(result.statusCode).toBe(429);
      expect(Number(result.headers?.['Retry-After'])).toBeGreaterThan(0);
      expect(JSON.parse(result.body).error.message).toContain(
        'daily quota of 1 calls is used up until the next Feishu day',
      );
      expect(calls()).toHaveLength(1);
    });
  });
});
