import { createHash } from 'node:crypto';
import {
  bigBodySha256,
  errorCatalog,
  expectedBigBody,
  pngSignature,
  startFeishuSandbox,
  type FeishuSandbox,
} from './feishu';
import { download, type ErrorBody, requestToken, sleepUntilNextSecond, tenantToken } from './feishuSandboxClient';

const paths = {
  whiteboard: (id: string): string => `/open-apis/board/v1/whiteboards/${id}/download_as_image`,
  baike: (id: string): string => `/open-apis/baike/v1/files/${id}/download`,
  helpdesk: (id: string, faqId = 'faq_1'): string => `/open-apis/helpdesk/v1/faqs/${faqId}/image/${id}`,
  im: (id: string): string => `/open-apis/im/v1/images/${id}`,
};

function helpdeskHeader(sandbox: FeishuSandbox): string {
  return Buffer.from(`${sandbox.helpdeskId}:${sandbox.helpdeskToken}`).toString('base64');
}

/** Downloads with a fresh tenant token and, for helpdesk, the helpdesk header. */
async function downloadAsApp(sandbox: FeishuSandbox, endpoint: keyof typeof paths, id: string): Promise<Response> {
  const token = await tenantToken(sandbox);
  const extra: Record<string, string> =
    endpoint === 'helpdesk' ? { 'X-Lark-Helpdesk-Authorization': helpdeskHeader(sandbox) } : {};
  return download(sandbox, paths[endpoint](id), token, extra);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('Feishu sandbox', () => {
  let sandbox: FeishuSandbox;

  beforeAll(async () => {
    sandbox = await startFeishuSandbox({ rateLimits: false });
  });

  beforeEach(() => {
    sandbox.reset();
  });

  afterAll(async () => {
    await sandbox.close();
  });

  describe('tenant_access_token', () => {
    it('issues a t- token with code 0 and the configured expire', async () => {
      // Prepare
      const credentials = { app_id: sandbox.appId, app_secret: sandbox.appSecret };

      // Act
      const response = await requestToken(sandbox, credentials);

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('x-tt-logid')).toMatch(/^\d{14}[0-9A-F]+$/);
      const body = (await response.json()) as {
        code: number;
        msg: string;
        tenant_access_token: string;
        expire: number;
      };
      expect(body).toEqual({
        code: 0,
        msg: 'ok',
        tenant_access_token: expect.stringMatching(/^t-[0-9a-f]+$/),
        expire: 7200,
      });
    });

    it('hands back the same token with a smaller expire while 30 minutes or more are left', async () => {
      // Prepare
      const first = (await (await requestToken(sandbox)).json()) as { tenant_access_token: string; expire: number };

      // Act
      const second = (await (await requestToken(sandbox)).json()) as { tenant_access_token: string; expire: number };

      // Assess
      expect(second.tenant_access_token).toBe(first.tenant_access_token);
      expect(second.expire).toBeLessThanOrEqual(first.expire);
    });

    it('issues a new token when less than 30 minutes are left, and the old one keeps working', async () => {
      // Prepare
      const shortLived = await startFeishuSandbox({ rateLimits: false, tokenExpireSeconds: 1500 });
      try {
        const first = await tenantToken(shortLived);

        // Act
        const second = await tenantToken(shortLived);

        // Assess
        expect(second).not.toBe(first);
        expect((await download(shortLived, paths.im('img_1'), first)).status).toBe(200);
        expect((await download(shortLived, paths.im('img_1'), second)).status).toBe(200);
      } finally {
        await shortLived.close();
      }
    });

    it('answers wrong credentials with HTTP 200 and code 10003', async () => {
      // Prepare
      const credentials = { app_id: sandbox.appId, app_secret: 'wrong' };

      // Act
      const response = await requestToken(sandbox, credentials);

      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ code: 10003, msg: 'invalid param' });
    });

    it('answers a malformed body with HTTP 400 and code 10003', async () => {
      // Prepare
      const body = '{"app_id":';

      // Act
      const response = await requestToken(sandbox, body);

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).code).toBe(10003);
    });

    it('stops accepting an expired tenant token', async () => {
      // Prepare
      const shortLived = await startFeishuSandbox({ rateLimits: false, tokenExpireSeconds: 1 });
      try {
        const token = await tenantToken(shortLived);
        await new Promise((resolve) => setTimeout(resolve, 1050));

        // Act
        const response = await download(shortLived, paths.baike('file_1'), token);

        // Assess
        expect(response.status).toBe(400);
        expect(((await response.json()) as ErrorBody).code).toBe(99991663);
      } finally {
        await shortLived.close();
      }
    });
  });

  describe('downloads', () => {
    it.each(['whiteboard', 'baike', 'helpdesk', 'im'] as const)(
      'serves a PNG for an arbitrary id on %s',
      async (endpoint) => {
        // Prepare
        const id = 'Abc_123-xyz';

        // Act
        const response = await downloadAsApp(sandbox, endpoint, id);

        // Assess
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/png');
        const bytes = Buffer.from(await response.arrayBuffer());
        expect(bytes.subarray(0, 8)).toEqual(pngSignature);
        expect(response.headers.get('content-length')).toBe(String(bytes.length));
        expect(response.headers.get('x-tt-logid')).toBeTruthy();
      },
    );

    it('serves different bytes for different ids and the same bytes for the same id', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const [a, b, again] = await Promise.all(
        ['img_a', 'img_b', 'img_a'].map(async (id) =>
          sha256(new Uint8Array(await (await download(sandbox, paths.im(id), token)).arrayBuffer())),
        ),
      );

      // Assess
      expect(a).not.toBe(b);
      expect(a).toBe(again);
    });

    it.each([
      ['wb_jpeg_1', 'image/jpeg', Buffer.from([0xff, 0xd8, 0xff])],
      ['wb_gif_1', 'image/gif', Buffer.from('GIF89a')],
      ['wb_svg_1', 'image/svg+xml', Buffer.from('<svg')],
      ['wb_webp_1', 'image/webp', Buffer.from('RIFF')],
    ])('serves %s as %s', async (id, contentType, magic) => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.whiteboard(id), token);

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(contentType);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(0, magic.length)).toEqual(magic);
    });

    it('serves a noctype id without Content-Type and an octet id as application/octet-stream', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const bare = await download(sandbox, paths.baike('noctype_1'), token);
      const octet = await download(sandbox, paths.baike('octet_1'), token);

      // Assess
      expect(bare.headers.get('content-type')).toBeNull();
      expect(Buffer.from(await bare.arrayBuffer()).subarray(0, 8)).toEqual(pngSignature);
      expect(octet.headers.get('content-type')).toBe('application/octet-stream');
      expect(Buffer.from(await octet.arrayBuffer()).subarray(0, 8)).toEqual(pngSignature);
    });

    it('answers json200, html200 and empty200 with HTTP 200 and a body that is no image', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const [json, html, empty] = await Promise.all([
        download(sandbox, paths.im('json200'), token),
        download(sandbox, paths.im('html200'), token),
        download(sandbox, paths.im('empty200'), token),
      ]);

      // Assess
      expect(json.headers.get('content-type')).toBe('application/json');
      expect(await json.json()).toEqual({ code: 0, msg: 'ok' });
      expect(html.headers.get('content-type')).toBe('text/html');
      expect(await html.text()).toMatch(/^<!DOCTYPE html><html>.*<\/html>$/);
      expect(empty.headers.get('content-type')).toBe('image/png');
      expect((await empty.arrayBuffer()).byteLength).toBe(0);
    });

    it('waits slow-<ms> before answering', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      const started = Date.now();

      // Act
      const response = await download(sandbox, paths.im('slow-300'), token);

      // Assess
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(response.status).toBe(200);
    });

    it('streams exactly N bytes for big-<N>, matching the exported sha256', async () => {
      // Prepare
      const n = 3 * 1024 * 1024 + 123;
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.whiteboard(`big-${n}`), token);
      const bytes = new Uint8Array(await response.arrayBuffer());

      // Assess
      expect(response.headers.get('content-length')).toBe(String(n));
      expect(bytes.length).toBe(n);
      expect(Buffer.from(bytes.subarray(0, 8))).toEqual(pngSignature);
      expect(sha256(bytes)).toBe(bigBodySha256(n));
    });

    it('generates the same big body through expectedBigBody as through bigBodySha256', async () => {
      // Prepare
      const n = 200_000;
      const hash = createHash('sha256');

      // Act
      for await (const chunk of expectedBigBody(n)) hash.update(chunk);

      // Assess
      expect(hash.digest('hex')).toBe(bigBodySha256(n));
    });

    it('answers an unknown path with the gateway plain-text 404', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, '/open-apis/im/v1/imagez/img_1', token);

      // Assess
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect((await response.text()).trim()).toBe('404 page not found');
      expect(response.headers.get('x-tt-logid')).toBeTruthy();
    });

    it('records every request with its endpoint, status and token kind', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      await (await download(sandbox, `${paths.im('img_1')}?x=1`, token)).arrayBuffer();
      await (await download(sandbox, paths.im('img_1'), undefined)).arrayBuffer();

      // Assess
      expect(sandbox.count()).toBe(3);
      expect(sandbox.count('im')).toBe(2);
      expect(sandbox.requests.map(({ endpoint, status, tokenKind }) => ({ endpoint, status, tokenKind }))).toEqual([
        { endpoint: 'token', status: 200, tokenKind: 'none' },
        { endpoint: 'im', status: 200, tokenKind: 'tenant' },
        { endpoint: 'im', status: 400, tokenKind: 'none' },
      ]);
      expect(sandbox.requests[1]).toMatchObject({
        method: 'GET',
        path: paths.im('img_1'),
        url: `${paths.im('img_1')}?x=1`,
        query: { x: '1' },
      });
    });
  });

  describe('credentials', () => {
    it('answers a helpdesk download without the helpdesk header with 401 and code 154001', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.helpdesk('img_1'), token);

      // Assess
      expect(response.status).toBe(401);
      expect(((await response.json()) as ErrorBody).code).toBe(154001);
    });

    it('accepts the helpdesk header with a Bearer prefix too', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.helpdesk('img_1'), token, {
        'X-Lark-Helpdesk-Authorization': `Bearer ${helpdeskHeader(sandbox)}`,
      });

      // Assess
      expect(response.status).toBe(200);
    });

    it('accepts a known user token on whiteboard', async () => {
      // Prepare
      sandbox.addUserToken('u-known');

      // Act
      const response = await download(sandbox, paths.whiteboard('wb_1'), 'u-known');

      // Assess
      expect(response.status).toBe(200);
      expect(sandbox.requests[0]?.tokenKind).toBe('user');
    });

    it('answers an unknown user token with 400 and code 99991668', async () => {
      // Prepare
      const token = 'u-never-added';

      // Act
      const response = await download(sandbox, paths.whiteboard('wb_1'), token);

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).code).toBe(99991668);
    });

    it('refuses a user token on im with code 99991663', async () => {
      // Prepare
      sandbox.addUserToken('u-known');

      // Act
      const response = await download(sandbox, paths.im('img_1'), 'u-known');

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).code).toBe(99991663);
    });

    it.each([
      ['no Authorization header', undefined, 400, 99991661],
      ['a header without Bearer', { Authorization: 't-abc' }, 400, 99991661],
      ['a token with a wrong prefix', { Authorization: 'Bearer x-abc' }, 400, 99991671],
    ])('answers %s with %d and code %d', async (_case, headers, status, code) => {
      // Prepare
      const path = paths.baike('file_1');

      // Act
      const response = await fetch(`${sandbox.url}${path}`, { headers });

      // Assess
      expect(response.status).toBe(status);
      expect(((await response.json()) as ErrorBody).code).toBe(code);
    });

    it('answers an unknown tenant token with 401/2890004 on whiteboard and 400/99991663 elsewhere', async () => {
      // Prepare
      const token = 't-never-issued';

      // Act
      const whiteboard = await download(sandbox, paths.whiteboard('wb_1'), token);
      const im = await download(sandbox, paths.im('img_1'), token);

      // Assess
      expect([whiteboard.status, ((await whiteboard.json()) as ErrorBody).code]).toEqual([401, 2890004]);
      expect([im.status, ((await im.json()) as ErrorBody).code]).toEqual([400, 99991663]);
    });

    it('makes every issued tenant token answer 99991663 after revokeTenantTokens, and issues a new one', async () => {
      // Prepare
      const old = await tenantToken(sandbox);

      // Act
      sandbox.revokeTenantTokens();
      const response = await download(sandbox, paths.im('img_1'), old);
      const fresh = await tenantToken(sandbox);

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).code).toBe(99991663);
      expect(fresh).not.toBe(old);
      expect((await download(sandbox, paths.im('img_1'), fresh)).status).toBe(200);
    });
  });

  describe('error ids', () => {
    it.each(errorCatalog.map((entry) => [entry.code, entry.status, entry] as const))(
      'answers err-%d with HTTP %d, the code and a log_id equal to X-Tt-Logid',
      async (code, status, entry) => {
        // Prepare
        const token = await tenantToken(sandbox);

        // Act
        const response = await download(sandbox, paths.baike(`err-${code}`), token);

        // Assess
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
        const body = (await response.json()) as ErrorBody;
        expect(body.code).toBe(code);
        expect(body.msg).toBe(entry.msg);
        expect(body.error?.log_id).toBe(response.headers.get('x-tt-logid'));
        expect(body.error?.troubleshooter).toContain(body.error?.log_id);
      },
    );

    it('adds the rate-limit headers to err-99991400', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.im('err-99991400'), token);

      // Assess
      expect(response.status).toBe(429);
      expect(response.headers.get('x-ogw-ratelimit-limit')).toBe('50');
      expect(Number(response.headers.get('x-ogw-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    });

    it('answers a code missing from the catalog with 400 and msg unknown', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.im('err-4242'), token);

      // Assess
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 4242, msg: 'unknown' });
    });

    it.each([
      ['whiteboard', 500, 2891001],
      ['baike', 502, 1540002],
      ['helpdesk', 503, 155000],
      ['im', 500, 1],
    ] as const)(
      'answers err-http-<status> on %s with that status and the internal code',
      async (endpoint, status, code) => {
        // Prepare
        const id = `err-http-${status}`;

        // Act
        const response = await downloadAsApp(sandbox, endpoint, id);

        // Assess
        expect(response.status).toBe(status);
        expect(await response.json()).toMatchObject({ code, msg: 'internal error' });
      },
    );

    it('reads an error trigger from the helpdesk faq_id', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.helpdesk('img_1', 'err-154004'), token, {
        'X-Lark-Helpdesk-Authorization': helpdeskHeader(sandbox),
      });

      // Assess
      expect(response.status).toBe(404);
      expect(((await response.json()) as ErrorBody).code).toBe(154004);
    });

    it("answers a malformed id with the endpoint's invalid-param code", async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.whiteboard('wb.1'), token);

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).code).toBe(2890002);
    });

    it('gives every answer its own X-Tt-Logid', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const responses = await Promise.all([1, 2, 3].map(() => download(sandbox, paths.im('err-234005'), token)));

      // Assess
      const logIds = responses.map((r) => r.headers.get('x-tt-logid'));
      expect(new Set(logIds).size).toBe(3);
    });
  });

  describe('faults', () => {
    it('answers a status fault once, then serves normally', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      sandbox.fault({ endpoint: 'im', kind: { type: 'status', status: 503 } });

      // Act
      const faulted = await download(sandbox, paths.im('img_1'), token);
      const normal = await download(sandbox, paths.im('img_1'), token);

      // Assess
      expect(faulted.status).toBe(503);
      expect(await faulted.json()).toMatchObject({ code: 1, msg: 'internal error' });
      expect(normal.status).toBe(200);
      expect(sandbox.count('im')).toBe(2);
    });

    it('never applies a fault without an endpoint to the token endpoint', async () => {
      // Prepare
      sandbox.fault({ kind: { type: 'status', status: 500 } });

      // Act
      const token = await tenantToken(sandbox);
      const response = await download(sandbox, paths.baike('file_1'), token);

      // Assess
      expect(token).toMatch(/^t-/);
      expect(response.status).toBe(500);
      expect(((await response.json()) as ErrorBody).code).toBe(1540002);
    });

    it('answers a tokenError fault with HTTP 200 and that code', async () => {
      // Prepare
      sandbox.fault({ endpoint: 'token', kind: { type: 'tokenError', code: 99991543 } });

      // Act
      const response = await requestToken(sandbox);

      // Assess
      expect(response.status).toBe(200);
      expect(((await response.json()) as ErrorBody).code).toBe(99991543);
    });

    it('answers a rateLimit fault with 429 and the reset it was given', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      sandbox.fault({ endpoint: 'whiteboard', kind: { type: 'rateLimit', resetSeconds: 7 } });

      // Act
      const response = await download(sandbox, paths.whiteboard('wb_1'), token);

      // Assess
      expect(response.status).toBe(429);
      expect(response.headers.get('x-ogw-ratelimit-reset')).toBe('7');
      expect(response.headers.get('x-ogw-ratelimit-limit')).toBe('10');
      expect(((await response.json()) as ErrorBody).code).toBe(2890006);
    });

    it('makes reading the body reject when the connection drops mid-body', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      sandbox.fault({ endpoint: 'whiteboard', kind: { type: 'dropMidBody', afterBytes: 100_000 } });

      // Act
      const response = await download(sandbox, paths.whiteboard('big-1000000'), token);

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe('1000000');
      await expect(response.arrayBuffer()).rejects.toThrow();
    });

    it('makes reading the body reject when it is shorter than Content-Length', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      sandbox.fault({ endpoint: 'im', kind: { type: 'shortBody', bytes: 10 } });

      // Act
      const response = await download(sandbox, paths.im('img_1'), token);

      // Assess
      expect(response.status).toBe(200);
      await expect(response.arrayBuffer()).rejects.toThrow();
    });

    it('makes fetch reject when the sandbox is down', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      sandbox.fault({ endpoint: 'baike', kind: { type: 'down' } });

      // Act
      const attempt = download(sandbox, paths.baike('file_1'), token);

      // Assess
      await expect(attempt).rejects.toThrow();
      expect(sandbox.count('baike')).toBe(1);
      expect(sandbox.requests.at(-1)).toMatchObject({ endpoint: 'baike', status: 0 });
    });

    it('keeps a hanging request open until close() releases it', async () => {
      // Prepare
      const own = await startFeishuSandbox({ rateLimits: false });
      const token = await tenantToken(own);
      own.fault({ kind: { type: 'hang' }, times: Infinity });
      const attempt = download(own, paths.im('img_1'), token);
      const outcome = attempt.then(
        () => 'answered',
        () => 'rejected',
      );
      while (own.count('im') === 0) await new Promise((resolve) => setTimeout(resolve, 10));

      // Act
      const started = Date.now();
      await own.close();

      // Assess
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await outcome).toBe('rejected');
    });
  });

  describe('latency', () => {
    it('waits latencyMs before answering each request', async () => {
      // Prepare
      const slow = await startFeishuSandbox({ rateLimits: false, latencyMs: 150 });
      try {
        const started = Date.now();

        // Act
        const response = await requestToken(slow);

        // Assess
        expect(response.status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      } finally {
        await slow.close();
      }
    });
  });
});

describe('Feishu sandbox rate limits', () => {
  let limited: FeishuSandbox;

  beforeAll(async () => {
    limited = await startFeishuSandbox();
  });

  afterAll(async () => {
    await limited.close();
  });

  it('answers the 11th whiteboard request in one second with 429, code 2890006 and the limit headers', async () => {
    // Prepare
    const token = await tenantToken(limited);
    await sleepUntilNextSecond();

    // Act
    const responses = await Promise.all(
      Array.from({ length: 11 }, () => download(limited, paths.whiteboard('wb_1'), token)),
    );

    // Assess
    const refused = responses.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    const first = refused[0];
    expect(first?.headers.get('x-ogw-ratelimit-limit')).toBe('10');
    expect(Number(first?.headers.get('x-ogw-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect(((await first!.json()) as ErrorBody).code).toBe(2890006);
  });

  it('answers the 6th helpdesk request in one second with 429 and code 99991400', async () => {
    // Prepare
    const token = await tenantToken(limited);
    const headers = { 'X-Lark-Helpdesk-Authorization': helpdeskHeader(limited) };
    await sleepUntilNextSecond();

    // Act
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => download(limited, paths.helpdesk('img_1'), token, headers)),
    );

    // Assess
    const refused = responses.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]?.headers.get('x-ogw-ratelimit-limit')).toBe('5');
    expect(((await refused[0]!.json()) as ErrorBody).code).toBe(99991400);
  });

  it('answers a call within a second of ten others with 429 when counting sliding windows', async () => {
    // Prepare
    const sliding = await startFeishuSandbox({ rateLimitCounting: 'sliding' });
    try {
      const token = await tenantToken(sliding);
      await sleepUntilNextSecond();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await Promise.all(Array.from({ length: 10 }, (_, i) => download(sliding, paths.whiteboard(`wb_s${i}`), token)));
      await sleepUntilNextSecond();

      // Act
      const response = await download(sliding, paths.whiteboard('wb_s10'), token);

      // Assess
      expect(response.status).toBe(429);
      expect(((await response.json()) as ErrorBody).code).toBe(2890006);
    } finally {
      await sliding.close();
    }
  });

  it('does not rate-limit the token endpoint', async () => {
    // Prepare
    const attempts = 30;

    // Act
    const responses = await Promise.all(Array.from({ length: attempts }, () => requestToken(limited)));

    // Assess
    expect(responses.every((r) => r.status === 200)).toBe(true);
  });
});
