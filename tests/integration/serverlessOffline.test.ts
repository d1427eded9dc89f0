import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENDPOINTS } from '../../lib/endpoints';
import { fillPath } from '../../lib/feishu/feishuUrl';
import { startMirrorEnvironment, type MirrorEnvironment } from '../support/mirrorEnvironment';
import { startServerlessOffline, type ServerlessOffline } from '../support/startServerlessOffline';

const API_KEY = randomBytes(16).toString('hex');
const USER_TOKEN = 'u-OfflineUserToken7Qm2Zx9Lp4Rt';
const IDS = {
  whiteboardId: 'wb_offline_1',
  fileToken: 'boxcn_offline_1',
  faqId: '6936004780707807251',
  imageKey: 'img_offline_1',
  messageId: 'om_offline_1',
  fileKey: 'img_offline_chat_1',
  // A sandbox document of one image and one whiteboard.
  documentId: 'docgen-1-1-1',
};

describe('The stack served by serverless-offline from the esbuild bundles', () => {
  let env: MirrorEnvironment;
  let offline: ServerlessOffline;
  const signatures: string[] = [];

  beforeAll(async () => {
    env = await startMirrorEnvironment({ env: { POWERTOOLS_LOG_LEVEL: 'INFO' } });
    env.feishu.addUserToken(USER_TOKEN);
    offline = await startServerlessOffline(
      { ...process.env, LOCAL_API_KEY: API_KEY },
      13_000 + Math.floor(Math.random() * 2000) * 2,
    );
  }, 120_000);
  afterAll(async () => {
    await offline?.stop();
    await env?.close();
  });

  const get = (path: string, headers: Record<string, string> = { 'x-api-key': API_KEY }): Promise<Response> =>
    fetch(offline.url + path, { headers });

  it.each(ENDPOINTS.map((endpoint) => [endpoint.route, endpoint] as const))(
    'serves GET %s with the API key',
    async (_, endpoint) => {
      // Act
      const response = await get(fillPath(endpoint.route, IDS));

      // Assess
      const answer = (await response.json()) as { kind: string; url?: string; images?: { answer: { url: string } }[] };
      const urls = answer.images?.map((image) => image.answer.url) ?? [answer.url ?? ''];
      signatures.push(...urls.map((url) => new URL(url).searchParams.get('X-Amz-Signature') ?? ''));
      expect(response.status).toBe(200);
      expect(answer.kind).toBe(endpoint.kind);
      for (const url of urls) expect((await fetch(url)).status).toBe(200);
    },
  );

  it('has logged one line per image served above, each environment having made one token request', () => {
    // Act
    const lines = offline
      .output()
      .split('\n')
      .filter((line) => line.includes('"image mirrored"'))
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);

    // Assess
    const imageKinds = ENDPOINTS.filter((endpoint) => !('document' in endpoint)).map((endpoint) => endpoint.kind);
    expect([...new Set(lines.map((line) => line.kind))].sort()).toEqual(imageKinds.sort());
    expect(lines.every((line) => line.containerTokenRequests === 1)).toBe(true);
  });

  it('answers 403 without the API key, before any function runs', async () => {
    // Prepare
    const feishuCalls = env.feishu.count();

    // Act
    const response = await get(fillPath(ENDPOINTS[3].route, IDS), {});

    // Assess
    expect(response.status).toBe(403);
    expect(env.feishu.count()).toBe(feishuCalls);
  });

  it('serves GET /openapi.json, the shipped OpenAPI document, with the API key and 403 without', async () => {
    // Prepare
    const shipped = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as unknown;

    // Act
    const response = await get('/openapi.json');
    const withoutKey = await get('/openapi.json', {});

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(shipped);
    expect(withoutKey.status).toBe(403);
  });

  it('answers 403 with a wrong API key', async () => {
    expect((await get(fillPath(ENDPOINTS[3].route, IDS), { 'x-api-key': 'not-the-key-0000000000' })).status).toBe(403);
  });

  it('answers the error table over the real route', async () => {
    // Act
    const response = await get('/im/images/err-234005');

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: expect.objectContaining({ code: 'NOT_FOUND', feishuCode: 234005 }),
    });
  });

  it(
    "uses a caller's user token and never writes it, " + 'a tenant token, a secret or a URL signature to the logs',
    async () => {
      // Prepare
      const tenant = await fetch(`${env.feishu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        body: JSON.stringify({ app_id: env.feishu.appId, app_secret: env.feishu.appSecret }),
      });
      // The sandbox, like Feishu, hands back the token the functions hold while it has time left.
      const { tenant_access_token: tenantToken } = (await tenant.json()) as { tenant_access_token: string };

      // Act
      const withUser = await get('/whiteboards/wb_offline_user/image', {
        'x-api-key': API_KEY,
        'x-feishu-user-token': USER_TOKEN,
      });
      const rejected = await get('/baike/files/boxcn_offline_2', {
        'x-api-key': API_KEY,
        'x-feishu-user-token': 'u-RejectedByFeishu000000000',
      });
      await get('/whiteboards/err-99991672/image');

      // Assess
      expect(withUser.status).toBe(200);
      expect(rejected.status).toBe(401);
      const logs = offline.output();
      expect(logs).toContain('image mirrored');
      for (const secret of [
        env.feishu.appSecret,
        env.feishu.helpdeskToken,
        tenantToken,
        USER_TOKEN,
        'u-RejectedByFeishu000000000',
        API_KEY,
        ...signatures,
      ]) {
        expect(logs).not.toContain(secret);
      }
    },
  );
});
