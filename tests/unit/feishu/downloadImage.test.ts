import { baike, helpdeskFaq, im, whiteboard } from '../../../lib/endpoints';
import { ssmParameterStore } from '../../../lib/clients/ssmParameterStore';
import { downloadImage, type DownloadRequest } from '../../../lib/feishu/downloadImage';
import { MAX_ATTEMPTS } from '../../../lib/feishu/retryPolicy';
import { clearTenantTokens } from '../../../lib/feishu/tenantToken';
import { Deadline } from '../../../lib/runtime/Deadline';
import type { Settings } from '../../../lib/settings/Settings';
import { LOCAL_SSM_CREDENTIALS, startLocalSsm, type LocalSsm } from '../../sandbox/ssm/startLocalSsm';
import { feishuError, feishuResponse } from '../helpers/feishuAnswer';
import { FakeFeishu, hang, imageAnswer, networkFailure } from '../helpers/fakeFeishu';
import { pngBody } from '../helpers/images';
import { testSettings } from '../helpers/testSettings';
import { rejectionOf } from '../helpers/thrownBy';

const WHITEBOARD_ID = 'Vd7LwaTCKhv1bxbxNXAcSWlInFg';
const IM_IMAGE_KEY = 'img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g';
const USER_TOKEN = 'u-cjz1eKCEx289x1TXEiQJqAh5171B4gDHPq00l0GE1234';

// The token cache lives for the container (the module): every test uses its own app.
let appCount = 0;
function freshSettings(overrides: Partial<Settings> = {}): Settings {
  appCount += 1;
  return testSettings({ appId: `cli_d0wn10ad${String(appCount).padStart(8, '0')}`, ...overrides });
}

const whiteboardRequest: DownloadRequest = { endpoint: whiteboard, source: { whiteboardId: WHITEBOARD_ID } };
const imRequest: DownloadRequest = { endpoint: im, source: { imageKey: IM_IMAGE_KEY } };

async function bytesOf(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('Function: downloadImage', () => {
  let feishu: FakeFeishu;
  let clients = () => feishu.clients();

  beforeEach(() => {
    clearTenantTokens();
    feishu = new FakeFeishu();
  });

  it("calls the endpoint's Feishu path with the tenant token and answers the open image response", async () => {
    // Prepare
    const bytes = pngBody(2048);
    feishu.onImage(() => imageAnswer(bytes, 'Image/PNG; charset=binary'));

    // Act
    const image = await downloadImage(whiteboardRequest, freshSettings(), new Deadline(10_000), clients());

    // Assess
    const [call] = feishu.imageCalls();
    expect(call!.url).toBe(
      `https://open.feishu.test/open-apis/board/v1/whiteboards/${WHITEBOARD_ID}/download_as_image`,
    );
    expect(call!.headers.get('authorization')).toBe(`Bearer ${FakeFeishu.token(1)}`);
    expect(image).toMatchObject({
      contentType: 'image/png',
      contentLength: 2048,
      logId: '20261121081542F0E1D2C3B4A5968778695A',
      attempts: 1,
    });
    expect((await bytesOf(image.body)).equals(bytes)).toBe(true);
  });

  it('reports a missing Content-Type and Content-Length as undefined', async () => {
    // Prepare
    feishu.onImage(() => new Response(pngBody(10), { status: 200 }));

    // Act
    const image = await downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients());

    // Assess
    expect(image.contentType).toBeUndefined();
    expect(image.contentLength).toBeUndefined();
  });

  it.each([
    ['image/png"; filename=evil.html', undefined],
    ['image/png;', undefined],
    ['IMAGE/PNG; charset=binary', 'image/png'],
  ])(
    'reads the Content-Type %j as the media type %j, a malformed one as none (the bytes then tell)',
    async (header, expected) => {
      // Prepare
      feishu.onImage(() => new Response(pngBody(10), { status: 200, headers: { 'content-type': header } }));

      // Act
      const image = await downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients());

      // Assess
      expect(image.contentType).toBe(expected);
    },
  );

  it("uses the caller's user token instead of the tenant token, fetching no tenant token", async () => {
    // Prepare
    feishu.onImage(() => imageAnswer(pngBody(100)));

    // Act
    await downloadImage(
      { endpoint: baike, source: { fileToken: 'boxcnrHpsg1QDqXAAAyachabcef' }, userAccessToken: USER_TOKEN },
      freshSettings(),
      new Deadline(10_000),
      clients(),
    );

    // Assess
    expect(feishu.imageCalls()[0]!.headers.get('authorization')).toBe(`Bearer ${USER_TOKEN}`);
    expect(feishu.tokenCalls()).toHaveLength(0);
  });

  it('adds the documented helpdesk header, the bare base64 of id:token, to helpdesk calls', async () => {
    // Prepare
    feishu.onImage(() => imageAnswer(pngBody(100)));
    const settings = freshSettings({
      helpdesk: {
        id: '7012345678901234567',
        token: { value: 'ht-0a1b2c3d4e5f6a7b8c9d', setting: 'FEISHU_HELPDESK_TOKEN' },
      },
    });

    // Act
    await downloadImage(
      { endpoint: helpdeskFaq, source: { faqId: '6947428293384273921', imageKey: 'img_v2_041b' } },
      settings,
      new Deadline(10_000),
      clients(),
    );

    // Assess
    const [call] = feishu.imageCalls();
    expect(call!.url).toBe('https://open.feishu.test/open-apis/helpdesk/v1/faqs/6947428293384273921/image/img_v2_041b');
    expect(call!.headers.get('x-lark-helpdesk-authorization')).toBe(
      Buffer.from('7012345678901234567:ht-0a1b2c3d4e5f6a7b8c9d').toString('base64'),
    );
    expect(call!.headers.get('authorization')).toBe(`Bearer ${FakeFeishu.token(1)}`);
  });

  it('sends no helpdesk header to the other endpoints', async () => {
    // Prepare
    feishu.onImage(() => imageAnswer(pngBody(100)));

    // Act
    await downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients());

    // Assess
    expect(feishu.imageCalls()[0]!.headers.has('x-lark-helpdesk-authorization')).toBe(false);
  });

  describe('a rejected tenant token', () => {
    it('is dropped, a new one fetched, and the call retried once with it', async () => {
      // Prepare
      feishu.onImage(
        () => feishuResponse('token-invalid'),
        () => imageAnswer(pngBody(100)),
      );

      // Act
      const image = await downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients());

      // Assess
      expect(image.attempts).toBe(2);
      expect(feishu.tokenCalls()).toHaveLength(2);
      expect(feishu.imageCalls().map((call) => call.headers.get('authorization'))).toEqual([
        `Bearer ${FakeFeishu.token(1)}`,
        `Bearer ${FakeFeishu.token(2)}`,
      ]);
    });

    it('answers MISCONFIGURED when the fresh token is rejected too, after exactly two calls', async () => {
      // Prepare
      feishu.onImage(() => feishuResponse('token-invalid'));

      // Act
      const error = await rejectionOf(downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients()));

      // Assess
      expect(error).toMatchObject({
        code: 'MISCONFIGURED',
        feishuCode: 99991663,
        logId: '202611210815423C4D5E6F7A8B9C0D1E2F',
      });
      expect(error.message).toContain('FEISHU_APP_ID / FEISHU_APP_SECRET');
      expect(feishu.imageCalls()).toHaveLength(2);
    });

    it.each([99991664, 99991665, 99991671, 234002])('also renews the token for code %i', async (code) => {
      // Prepare
      feishu.onImage(
        () => feishuError(code === 234002 ? 401 : 400, code),
        () => imageAnswer(pngBody(100)),
      );

      // Act
      const image = await downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients());

      // Assess
      expect(image.attempts).toBe(2);
      expect(feishu.tokenCalls()).toHaveLength(2);
    });
  });

  describe("the caller's user token", () => {
    it.each([99991668, 99991677, 2890004])(
      'answers UNAUTHORIZED after one call when Feishu rejects it with %i',
      async (code) => {
        // Prepare
        feishu.onImage(() => feishuError(code === 2890004 ? 401 : 400, code));

        // Act
        const error = await rejectionOf(
          downloadImage(
            { ...whiteboardRequest, userAccessToken: USER_TOKEN },
            freshSettings(),
            new Deadline(10_000),
            clients(),
          ),
        );

        // Assess
        expect(error).toMatchObject({ code: 'UNAUTHORIZED', name: 'UnauthorizedError', status: 401 });
        expect(feishu.imageCalls()).toHaveLength(1);
        expect(feishu.tokenCalls()).toHaveLength(0);
      },
    );
  });

  describe('retries', () => {
    it('retries a 5xx and answers the image of the next attempt', async () => {
      // Prepare
      feishu.onImage(
        () => feishuResponse('server-error'),
        () => imageAnswer(pngBody(100)),
      );

      // Act
      const image = await downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients());

      // Assess
      expect(image.attempts).toBe(2);
      expect(feishu.tokenCalls()).toHaveLength(1);
    });

    it('retries a rate limit and answers RATE_LIMITED after the last attempt', async () => {
      // Prepare
      feishu.onImage(() =>
        feishuResponse('rate-limited', (recorded) => {
          delete recorded.headers['x-ogw-ratelimit-reset'];
        }),
      );

      // Act
      const error = await rejectionOf(downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients()));

      // Assess
      expect(error).toMatchObject({
        code: 'RATE_LIMITED',
        name: 'RateLimitedError',
        retryable: true,
        retryAfterSeconds: 1,
      });
      expect(feishu.imageCalls()).toHaveLength(MAX_ATTEMPTS);
    });

    it('waits as long as x-ogw-ratelimit-reset says before retrying', async () => {
      // Prepare
      feishu.onImage(
        () =>
          feishuResponse('rate-limited', (recorded) => {
            recorded.headers['x-ogw-ratelimit-reset'] = '1';
          }),
        () => imageAnswer(pngBody(100)),
      );
      const started = Date.now();

      // Act
      await downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients());

      // Assess
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(feishu.imageCalls()).toHaveLength(2);
    });

    it('does not retry when the wait would not leave time for another call', async () => {
      // Prepare
      feishu.onImage(
        () =>
          feishuResponse('rate-limited', (recorded) => {
            recorded.headers['x-ogw-ratelimit-reset'] = '30';
          }),
        () => imageAnswer(pngBody(100)),
      );

      // Act
      const error = await rejectionOf(downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients()));

      // Assess
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 30 });
      expect(feishu.imageCalls()).toHaveLength(1);
    });

    it('retries a network failure, then answers UPSTREAM_ERROR saying how many attempts it made', async () => {
      // Prepare
      feishu.onImage(networkFailure);

      // Act
      const error = await rejectionOf(downloadImage(imRequest, freshSettings(), new Deadline(10_000), clients()));

      // Assess
      expect(error).toMatchObject({
        code: 'UPSTREAM_ERROR',
        retryable: true,
        message: `im image ${IM_IMAGE_KEY}: could not reach Feishu after ${MAX_ATTEMPTS} attempts`,
      });
      expect(feishu.imageCalls()).toHaveLength(MAX_ATTEMPTS);
    });

    it.each([
      ['2890003', 400, 2890003, 'NOT_FOUND'],
      ['2890005', 403, 2890005, 'FORBIDDEN'],
      ['2890001', 400, 2890001, 'INVALID_REQUEST'],
    ] as const)('does not retry a 4xx (%s)', async (_, status, code, expected) => {
      // Prepare
      feishu.onImage(() => feishuError(status, code));

      // Act
      const error = await rejectionOf(
        downloadImage(whiteboardRequest, freshSettings(), new Deadline(10_000), clients()),
      );

      // Assess
      expect(error.code).toBe(expected);
      expect(feishu.imageCalls()).toHaveLength(1);
    });

    it('answers UPSTREAM_TIMEOUT when Feishu does not answer in the time left', async () => {
      // Prepare
      feishu.onImage(hang);

      // Act
      const error = await rejectionOf(downloadImage(imRequest, freshSettings(), new Deadline(150), clients()));

      // Assess
      expect(error).toMatchObject({
        code: 'UPSTREAM_TIMEOUT',
        message: `im image ${IM_IMAGE_KEY}: Feishu did not answer in the time the invocation had left`,
      });
    });
  });

  describe('helpdesk credentials from SSM', () => {
    let ssm: LocalSsm;
    const saved = { ...process.env };
    beforeAll(async () => {
      ssm = await startLocalSsm();
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_SSM: ssm.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: LOCAL_SSM_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_SSM_CREDENTIALS.secretAccessKey,
      });
      // The real SSM path (Powertools over the SDK's SSM client) against the local SSM server.
      const parameters = ssmParameterStore();
      clients = () => feishu.clients({ parameters });
    });
    afterAll(async () => {
      process.env = saved;
      clients = () => feishu.clients();
      await ssm.close();
    });

    it('reads the helpdesk token from SSM again after Feishu rejects the helpdesk credentials (154001)', async () => {
      // Prepare
      ssm.put('/feishu-image-mirror/test/helpdesk-token-154001', 'ht-old-token-0001');
      const settings = freshSettings({
        helpdesk: {
          id: '7012345678901234567',
          token: {
            parameterName: '/feishu-image-mirror/test/helpdesk-token-154001',
            setting: 'FEISHU_HELPDESK_TOKEN_PARAMETER',
          },
        },
      });
      const request: DownloadRequest = {
        endpoint: helpdeskFaq,
        source: { faqId: '6947428293384273921', imageKey: 'img_v2_041b' },
      };
      feishu.onImage(
        () => feishuError(401, 154001),
        () => imageAnswer(pngBody(100)),
      );
      const error = await rejectionOf(downloadImage(request, settings, new Deadline(10_000), clients()));
      ssm.put('/feishu-image-mirror/test/helpdesk-token-154001', 'ht-new-token-0002');

      // Act
      await downloadImage(request, settings, new Deadline(10_000), clients());

      // Assess
      expect(error).toMatchObject({
        code: 'MISCONFIGURED',
        message: expect.stringContaining('FEISHU_HELPDESK_ID / FEISHU_HELPDESK_TOKEN'),
      });
      expect(ssm.calls.map((call) => call.name)).toEqual([
        '/feishu-image-mirror/test/helpdesk-token-154001',
        '/feishu-image-mirror/test/helpdesk-token-154001',
      ]);
      expect(feishu.imageCalls()[1]!.headers.get('x-lark-helpdesk-authorization')).toBe(
        Buffer.from('7012345678901234567:ht-new-token-0002').toString('base64'),
      );
    });
  });
});
