import { handler as baikeImage } from '../../functions/baikeImage';
import { handler as helpdeskFaqImage } from '../../functions/helpdeskFaqImage';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import { MAX_ATTEMPTS } from '../../lib/feishu/retryPolicy';
import { lambdaContext } from '../support/lambdaContext';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

const FAQ = '6936004780707807251';

describe('Errors of the four functions, against the Feishu sandbox and real S3', () => {
  const env = useMirrorEnvironment();

  describe('INVALID_REQUEST', () => {
    it('refuses a bad id before any call to Feishu or S3', async () => {
      // Prepare
      const keysBefore = await env.keys();

      // Act
      const invocation = imImage({ imageKey: '../../etc/passwd' }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({
        name: 'InvalidRequestError',
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('imageKey'),
      });
      expect(env.feishu.count()).toBe(0);
      expect(await env.keys()).toEqual(keysBefore);
    });

    it('answers INVALID_REQUEST when Feishu says the argument is invalid', async () => {
      await expect(imImage({ imageKey: 'err-234001' }, lambdaContext())).rejects.toMatchObject({
        name: 'InvalidRequestError',
        feishuCode: 234001,
        logId: expect.any(String),
        retryable: false,
      });
    });
  });

  it("answers UNAUTHORIZED when Feishu rejects the caller's own user token", async () => {
    // Act
    const invocation = whiteboardImage(
      { whiteboardId: 'wb_user_1', userAccessToken: 'u-NotKnownToFeishu0123456789' },
      lambdaContext(),
    );

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: 'UnauthorizedError', status: 401, feishuCode: 99991668 });
    expect(env.feishu.count('token')).toBe(0);
  });

  it.each([
    ['whiteboard', () => whiteboardImage({ whiteboardId: 'err-2890005' }, lambdaContext()), 2890005],
    ['im', () => imImage({ imageKey: 'err-234008' }, lambdaContext()), 234008],
    ['helpdesk FAQ', () => helpdeskFaqImage({ faqId: FAQ, imageKey: 'err-154003' }, lambdaContext()), 154003],
  ])('answers FORBIDDEN when the app may not read the %s image', async (_, invoke, feishuCode) => {
    await expect(invoke()).rejects.toMatchObject({ name: 'ForbiddenError', status: 403, feishuCode });
    expect((await env.keys()).filter((key) => key.includes('err-'))).toEqual([]);
  });

  it.each([
    ['whiteboard', () => whiteboardImage({ whiteboardId: 'err-2890003' }, lambdaContext()), 2890003],
    ['im', () => imImage({ imageKey: 'err-234005' }, lambdaContext()), 234005],
    ['helpdesk FAQ', () => helpdeskFaqImage({ faqId: FAQ, imageKey: 'err-154004' }, lambdaContext()), 154004],
  ])('answers NOT_FOUND when the %s image does not exist', async (_, invoke, feishuCode) => {
    await expect(invoke()).rejects.toMatchObject({ name: 'NotFoundError', status: 404, feishuCode, retryable: false });
    expect(env.feishu.count('whiteboard') + env.feishu.count('im') + env.feishu.count('helpdesk')).toBe(1);
  });

  it('answers PAYLOAD_TOO_LARGE and stores nothing when the image is over MAX_IMAGE_BYTES', async () => {
    // Prepare
    env.setEnv({ MAX_IMAGE_BYTES: '1000' });

    // Act
    const invocation = baikeImage({ fileToken: 'boxcn_too_large' }, lambdaContext());

    // Assess
    await expect(invocation).rejects.toMatchObject({
      name: 'PayloadTooLargeError',
      status: 413,
      message: expect.stringContaining('MAX_IMAGE_BYTES'),
    });
    expect(await env.exists('feishu/baike/boxcn_too_large')).toBe(false);
    env.setEnv({ MAX_IMAGE_BYTES: undefined });
  });

  describe('RATE_LIMITED', () => {
    it('waits for x-ogw-ratelimit-reset and succeeds when the wait fits', async () => {
      // Prepare
      env.feishu.fault({ endpoint: 'im', kind: { type: 'rateLimit', resetSeconds: 1 } });
      const started = Date.now();

      // Act
      const answer = await imImage({ imageKey: 'img_after_limit' }, lambdaContext(10_000));

      // Assess
      expect(answer).toMatchObject({ cached: false, contentType: 'image/png' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(env.feishu.count('im')).toBe(2);
    });

    it('answers RATE_LIMITED with Retry-After when the wait does not fit in the time left', async () => {
      // Prepare
      env.feishu.fault({ endpoint: 'im', kind: { type: 'rateLimit', resetSeconds: 30 } });

      // Act
      const invocation = imImage({ imageKey: 'img_limited' }, lambdaContext(5_000));

      // Assess
      await expect(invocation).rejects.toMatchObject({
        name: 'RateLimitedError',
        status: 429,
        retryAfterSeconds: 30,
        retryable: true,
      });
      expect(env.feishu.count('im')).toBe(1);
    });

    it('answers RATE_LIMITED without retrying when the monthly quota is used up', async () => {
      await expect(imImage({ imageKey: 'err-99991403' }, lambdaContext())).rejects.toMatchObject({
        name: 'RateLimitedError',
        retryable: false,
        feishuCode: 99991403,
      });
      expect(env.feishu.count('im')).toBe(1);
    });
  });

  describe('MISCONFIGURED', () => {
    it('names a missing setting without calling anything', async () => {
      // Prepare
      env.setEnv({ IMAGE_BUCKET: '' });

      // Act
      const invocation = imImage({ imageKey: 'img_1' }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({
        name: 'MisconfiguredError',
        status: 500,
        message: expect.stringContaining('IMAGE_BUCKET'),
      });
      expect(env.feishu.count()).toBe(0);
      env.setEnv({ IMAGE_BUCKET: env.bucket });
    });

    it('keeps the other functions working when only the helpdesk settings are incomplete', async () => {
      // Prepare
      env.setEnv({ FEISHU_HELPDESK_TOKEN: undefined });

      // Act
      const helpdesk = helpdeskFaqImage({ faqId: FAQ, imageKey: 'img_h1' }, lambdaContext());
      const im = imImage({ imageKey: 'img_ok_while_helpdesk_is_not' }, lambdaContext());

      // Assess
      await expect(helpdesk).rejects.toMatchObject({
        name: 'MisconfiguredError',
        message: expect.stringContaining('FEISHU_HELPDESK_TOKEN'),
      });
      await expect(im).resolves.toMatchObject({ kind: 'im' });
      env.setEnv({ FEISHU_HELPDESK_TOKEN: env.feishu.helpdeskToken });
    });

    it('answers MISCONFIGURED, never showing the secret, when Feishu rejects the app credentials', async () => {
      // Prepare
      env.setEnv({ FEISHU_APP_ID: 'cli_wrong_app_00000' });

      // Act
      const invocation = imImage({ imageKey: 'img_2' }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({
        name: 'MisconfiguredError',
        feishuCode: 10003,
        message: expect.stringContaining('FEISHU_APP_ID'),
      });
      await invocation.catch((error: Error) =>
        expect(JSON.stringify({ ...error, message: error.message })).not.toContain(env.feishu.appSecret),
      );
      env.setEnv({ FEISHU_APP_ID: env.feishu.appId });
    });

    it('answers MISCONFIGURED naming the missing scope', async () => {
      await expect(whiteboardImage({ whiteboardId: 'err-99991672' }, lambdaContext())).rejects.toMatchObject({
        name: 'MisconfiguredError',
        message: expect.stringContaining('board:whiteboard:node:read'),
      });
    });

    it('answers MISCONFIGURED when Feishu rejects the helpdesk credentials', async () => {
      // Prepare
      env.setEnv({ FEISHU_HELPDESK_TOKEN: 'a-reset-helpdesk-token' });

      // Act
      const invocation = helpdeskFaqImage({ faqId: FAQ, imageKey: 'img_h2' }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({
        name: 'MisconfiguredError',
        feishuCode: 154001,
        message: expect.stringContaining('FEISHU_HELPDESK_TOKEN'),
      });
      env.setEnv({ FEISHU_HELPDESK_TOKEN: env.feishu.helpdeskToken });
    });
  });

  describe('UPSTREAM_ERROR', () => {
    it('stores the image after one retry when Feishu fails once with 503', async () => {
      // Prepare
      env.feishu.fault({ endpoint: 'baike', kind: { type: 'status', status: 503 } });

      // Act
      const answer = await baikeImage({ fileToken: 'boxcn_after_503' }, lambdaContext());

      // Assess
      expect(answer).toMatchObject({ kind: 'baike', cached: false });
      expect(env.feishu.count('baike')).toBe(2);
    });

    it('answers UPSTREAM_ERROR after the bounded retries when Feishu keeps failing, storing nothing', async () => {
      // Act
      const invocation = baikeImage({ fileToken: 'err-http-500' }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({
        name: 'UpstreamError',
        status: 502,
        retryable: true,
        feishuCode: 1540002,
      });
      expect(env.feishu.count('baike')).toBe(MAX_ATTEMPTS);
      expect(await env.exists('feishu/baike/err-http-500')).toBe(false);
    });

    it('does not retry a tenant storage failure that retrying cannot fix', async () => {
      await expect(imImage({ imageKey: 'err-234042' }, lambdaContext())).rejects.toMatchObject({
        name: 'UpstreamError',
        retryable: false,
      });
      expect(env.feishu.count('im')).toBe(1);
    });

    it.each(['json200', 'html200', 'empty200'])('never stores a 200 whose body is not an image (%s)', async (id) => {
      // Act
      const invocation = imImage({ imageKey: id }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({
        name: 'UpstreamError',
        message: expect.stringContaining('instead of an image'),
      });
      expect(await env.exists(`feishu/im/${id}`)).toBe(false);
    });

    it('stores nothing when the connection drops mid-body', async () => {
      // Prepare
      env.feishu.fault({ endpoint: 'im', kind: { type: 'dropMidBody', afterBytes: 100 } });

      // Act
      const invocation = imImage({ imageKey: 'img_dropped' }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({ name: 'UpstreamError', retryable: true });
      expect(await env.exists('feishu/im/img_dropped')).toBe(false);
    });

    it('stores nothing when the body is shorter than its Content-Length', async () => {
      // Prepare
      env.feishu.fault({ endpoint: 'im', kind: { type: 'shortBody', bytes: 200 } });

      // Act
      const invocation = imImage({ imageKey: 'img_short' }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({ name: 'UpstreamError' });
      expect(await env.exists('feishu/im/img_short')).toBe(false);
    });
  });

  it('answers UPSTREAM_TIMEOUT before the Lambda times out when Feishu is too slow', async () => {
    // Prepare
    const context = lambdaContext(2_500);

    // Act
    const invocation = imImage({ imageKey: 'slow-10000' }, context);

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: 'UpstreamTimeoutError', status: 504, retryable: true });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });
});
