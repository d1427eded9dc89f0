import { MAX_ATTEMPTS } from '../../../lib/feishu/retryPolicy';
import {
  clearTenantTokens,
  invalidateTenantToken,
  tenantToken,
  tenantTokenRequestCount,
} from '../../../lib/feishu/tenantToken';
import { Deadline } from '../../../lib/runtime/Deadline';
import type { Settings } from '../../../lib/settings/Settings';
import { feishuResponse } from '../helpers/feishuAnswer';
import { FakeFeishu, hang, networkFailure, TOKEN_PATH, tokenAnswer } from '../helpers/fakeFeishu';
import { testSettings } from '../helpers/testSettings';
import { rejectionOf } from '../helpers/thrownBy';

const APP_SECRET = 'Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd';

// The token cache lives for the container (the module): every test uses its own app.
let appCount = 0;
function freshSettings(): Settings {
  appCount += 1;
  return testSettings({
    appId: `cli_a1b2c3d4e5f6${String(appCount).padStart(4, '0')}`,
    appSecret: { value: APP_SECRET, setting: 'FEISHU_APP_SECRET' },
  });
}

describe('Function: tenantToken', () => {
  let feishu: FakeFeishu;
  const clients = () => feishu.clients();

  beforeEach(() => {
    clearTenantTokens();
    feishu = new FakeFeishu();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('asks the token endpoint with the app id and secret, as JSON', async () => {
    // Prepare
    const settings = freshSettings();

    // Act
    const token = await tenantToken(settings, new Deadline(10_000), clients());

    // Assess
    expect(token).toBe(FakeFeishu.token(1));
    const [call] = feishu.tokenCalls();
    expect(call).toMatchObject({ url: `https://open.feishu.test${TOKEN_PATH}`, method: 'POST' });
    expect(call!.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(call!.body!)).toEqual({ app_id: settings.appId, app_secret: APP_SECRET });
  });

  it('keeps the token for the next calls of the container', async () => {
    // Prepare
    const settings = freshSettings();
    await tenantToken(settings, new Deadline(10_000), clients());

    // Act
    const again = await tenantToken(settings, new Deadline(10_000), clients());

    // Assess
    expect(again).toBe(FakeFeishu.token(1));
    expect(feishu.tokenCalls()).toHaveLength(1);
  });

  it('asks once however many requests need a token at the same time', async () => {
    // Prepare
    const settings = freshSettings();
    feishu.onToken(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return tokenAnswer('t-g1044qeGEDXTB6NDJOGV4JQXSINGLEFLIGHT');
    });

    // Act
    const tokens = await Promise.all(
      Array.from({ length: 20 }, () => tenantToken(settings, new Deadline(10_000), clients())),
    );

    // Assess
    expect(new Set(tokens)).toEqual(new Set(['t-g1044qeGEDXTB6NDJOGV4JQXSINGLEFLIGHT']));
    expect(feishu.tokenCalls()).toHaveLength(1);
  });

  it('keeps one token per app', async () => {
    // Prepare
    const first = freshSettings();
    const second = freshSettings();

    // Act
    const tokens = [
      await tenantToken(first, new Deadline(10_000), clients()),
      await tenantToken(second, new Deadline(10_000), clients()),
    ];

    // Assess
    expect(tokens).toEqual([FakeFeishu.token(1), FakeFeishu.token(2)]);
  });

  it('fetches a new token three minutes before the old one expires', async () => {
    // Prepare
    const settings = freshSettings();
    const start = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(start);
    await tenantToken(settings, new Deadline(10_000), clients());

    // Act
    now.mockReturnValue(start + (7200 - 180) * 1000 - 1);
    const stillCached = await tenantToken(settings, new Deadline(10_000), clients());
    now.mockReturnValue(start + (7200 - 180) * 1000 + 1);
    const renewed = await tenantToken(settings, new Deadline(10_000), clients());

    // Assess
    expect(stillCached).toBe(FakeFeishu.token(1));
    expect(renewed).toBe(FakeFeishu.token(2));
  });

  it('uses a token handed back with little time left for half of that time', async () => {
    // Prepare
    const settings = freshSettings();
    feishu.onToken(
      () => tokenAnswer('t-g1044qeGEDXTB6NDJOGV4JQXALMOSTGONE', 120),
      () => tokenAnswer('t-g1044qeGEDXTB6NDJOGV4JQXBRANDNEW'),
    );
    const start = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(start);
    await tenantToken(settings, new Deadline(10_000), clients());

    // Act
    now.mockReturnValue(start + 59_000);
    const stillCached = await tenantToken(settings, new Deadline(10_000), clients());
    now.mockReturnValue(start + 61_000);
    const renewed = await tenantToken(settings, new Deadline(10_000), clients());

    // Assess
    expect(stillCached).toBe('t-g1044qeGEDXTB6NDJOGV4JQXALMOSTGONE');
    expect(renewed).toBe('t-g1044qeGEDXTB6NDJOGV4JQXBRANDNEW');
  });

  it('counts the token requests of the container', async () => {
    // Prepare
    const before = tenantTokenRequestCount();

    // Act
    await tenantToken(freshSettings(), new Deadline(10_000), clients());

    // Assess
    expect(tenantTokenRequestCount()).toBe(before + 1);
  });

  describe('invalidateTenantToken', () => {
    it('drops a rejected token, so that the next call fetches a new one', async () => {
      // Prepare
      const settings = freshSettings();
      const rejected = await tenantToken(settings, new Deadline(10_000), clients());

      // Act
      invalidateTenantToken(settings, rejected);
      const fresh = await tenantToken(settings, new Deadline(10_000), clients());

      // Assess
      expect(fresh).toBe(FakeFeishu.token(2));
      expect(feishu.tokenCalls()).toHaveLength(2);
    });

    it('leaves alone a token that has already replaced the rejected one', async () => {
      // Prepare
      const settings = freshSettings();
      const rejected = await tenantToken(settings, new Deadline(10_000), clients());
      invalidateTenantToken(settings, rejected);
      const replacement = await tenantToken(settings, new Deadline(10_000), clients());

      // Act
      invalidateTenantToken(settings, rejected);
      const current = await tenantToken(settings, new Deadline(10_000), clients());

      // Assess
      expect(current).toBe(replacement);
      expect(feishu.tokenCalls()).toHaveLength(2);
    });
  });

  describe('failures', () => {
    it(
      'answers MISCONFIGURED naming the app settings ' +
        'when Feishu refuses the credentials (code 10003 with HTTP 200)',
      async () => {
        // Prepare
        feishu.onToken(() => feishuResponse('app-credentials-invalid'));

        // Act
        const error = await rejectionOf(tenantToken(freshSettings(), new Deadline(10_000), clients()));

        // Assess
        expect(error).toMatchObject({
          code: 'MISCONFIGURED',
          name: 'MisconfiguredError',
          feishuCode: 10003,
          feishuMsg: 'invalid param',
          logId: '20261121081542D9E0F1A2B3C4D5E6F7A8',
        });
        expect(error.message).toContain('FEISHU_APP_ID / FEISHU_APP_SECRET');
        expect(error.message).not.toContain(APP_SECRET);
        expect(feishu.tokenCalls()).toHaveLength(1);
      },
    );

    it.each([10012, 10013, 10014, 10015, 99991543])(
      'answers MISCONFIGURED for the credential code %i',
      async (code) => {
        // Prepare
        feishu.onToken(() => Response.json({ code, msg: 'app secret invalid' }));

        // Act
        const error = await rejectionOf(tenantToken(freshSettings(), new Deadline(10_000), clients()));

        // Assess
        expect(error).toMatchObject({ code: 'MISCONFIGURED', feishuCode: code });
      },
    );

    it('does not keep a failure: the next call asks again', async () => {
      // Prepare
      const settings = freshSettings();
      feishu.onToken(
        () => feishuResponse('app-credentials-invalid'),
        () => tokenAnswer('t-g1044qeGEDXTB6NDJOGV4JQXAFTERFIX'),
      );
      await rejectionOf(tenantToken(settings, new Deadline(10_000), clients()));

      // Act
      const token = await tenantToken(settings, new Deadline(10_000), clients());

      // Assess
      expect(token).toBe('t-g1044qeGEDXTB6NDJOGV4JQXAFTERFIX');
    });

    it('retries a 5xx from the token endpoint', async () => {
      // Prepare
      feishu.onToken(
        () => new Response('upstream connect error', { status: 503 }),
        () => tokenAnswer('t-g1044qeGEDXTB6NDJOGV4JQXAFTER503'),
      );

      // Act
      const token = await tenantToken(freshSettings(), new Deadline(10_000), clients());

      // Assess
      expect(token).toBe('t-g1044qeGEDXTB6NDJOGV4JQXAFTER503');
      expect(feishu.tokenCalls()).toHaveLength(2);
    });

    it('retries a network failure, then answers a retryable UPSTREAM_ERROR after the last attempt', async () => {
      // Prepare
      feishu.onToken(networkFailure);

      // Act
      const error = await rejectionOf(tenantToken(freshSettings(), new Deadline(10_000), clients()));

      // Assess
      expect(error).toMatchObject({
        code: 'UPSTREAM_ERROR',
        retryable: true,
        message: expect.stringContaining('could not reach Feishu for a tenant access token'),
      });
      expect(feishu.tokenCalls()).toHaveLength(MAX_ATTEMPTS);
    });

    it('answers UPSTREAM_TIMEOUT when the token endpoint does not answer in the time left', async () => {
      // Prepare
      feishu.onToken(hang);

      // Act
      const error = await rejectionOf(tenantToken(freshSettings(), new Deadline(100), clients()));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', name: 'UpstreamTimeoutError', status: 504 });
    });

    it('answers UPSTREAM_ERROR when Feishu answers code 0 without a token', async () => {
      // Prepare
      feishu.onToken(() => Response.json({ code: 0, msg: 'ok' }));

      // Act
      const error = await rejectionOf(tenantToken(freshSettings(), new Deadline(10_000), clients()));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', feishuCode: 0 });
    });

    it(
      'retries a rate-limited token request (429 with 99991400), ' + 'as the contract retries every Feishu call',
      async () => {
        // Prepare
        feishu.onToken(
          () =>
            feishuResponse('rate-limited', (recorded) => {
              delete recorded.headers['x-ogw-ratelimit-reset'];
            }),
          () => tokenAnswer('t-g1044qeGEDXTB6NDJOGV4JQXAFTERLIMIT'),
        );

        // Act
        const token = await tenantToken(freshSettings(), new Deadline(10_000), clients());

        // Assess
        expect(token).toBe('t-g1044qeGEDXTB6NDJOGV4JQXAFTERLIMIT');
        expect(feishu.tokenCalls()).toHaveLength(2);
      },
    );

    it('answers RATE_LIMITED with a Retry-After when the token endpoint stays rate-limited', async () => {
      // Prepare
      feishu.onToken(() =>
        feishuResponse('rate-limited', (recorded) => {
          delete recorded.headers['x-ogw-ratelimit-reset'];
        }),
      );

      // Act
      const error = await rejectionOf(tenantToken(freshSettings(), new Deadline(10_000), clients()));

      // Assess
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, feishuCode: 99991400 });
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    });
  });
});
