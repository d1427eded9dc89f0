import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { handler as baikeImage } from '../../functions/baikeImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { lambdaContext } from '../support/lambdaContext';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

const ALICE = 'u-3sZ2bVqf8w1XkTq0aYc7LrNn5e9P';
const BOB = 'u-9hK4mWq2Zt7Ye1Xc5Vb8Nn3Lp6Ra';

describe('Images fetched with a user token', () => {
  const env = useMirrorEnvironment({ userTokens: [ALICE, BOB] });
  beforeEach(() => env.setEnv({ WHITEBOARD_MAX_AGE_SECONDS: undefined }));

  const invoke = async (promise: Promise<unknown>): Promise<MirrorAnswer> => (await promise) as MirrorAnswer;
  const baikeCalls = (): string[] => env.feishu.requests.filter((r) => r.endpoint === 'baike').map((r) => r.tokenKind);

  it('keeps the image under a folder of its own, named by a digest of the token, never at the shared key', async () => {
    // Act
    const answer = await invoke(baikeImage({ fileToken: 'useronly_baike_1', userAccessToken: ALICE }, lambdaContext()));

    // Assess
    expect(answer.key).toMatch(/^feishu\/user-token\/[0-9a-f]{32}\/baike\/useronly_baike_1$/);
    expect(answer.key).not.toContain(ALICE.slice(2));
    expect(await env.exists(answer.key)).toBe(true);
    expect(await env.exists('feishu/baike/useronly_baike_1')).toBe(false);
    expect((await fetch(answer.url)).status).toBe(200);
  });

  it(
    'asks Feishu again for a tenant request after a user fetched the image, ' + 'and answers what Feishu says',
    async () => {
      // Prepare
      await baikeImage({ fileToken: 'useronly_baike_2', userAccessToken: ALICE }, lambdaContext());

      // Act
      const tenant = baikeImage({ fileToken: 'useronly_baike_2' }, lambdaContext());

      // Assess
      await expect(tenant).rejects.toMatchObject({ feishuCode: 99991676 });
      expect(baikeCalls()).toEqual(['user', 'tenant']);
    },
  );

  it('answers FORBIDDEN to the tenant for a whiteboard only a user may read, even with a maximum age set', async () => {
    // Prepare
    env.setEnv({ WHITEBOARD_MAX_AGE_SECONDS: '3600' });
    const alice = await invoke(
      whiteboardImage({ whiteboardId: 'useronly_board_1', userAccessToken: ALICE }, lambdaContext()),
    );

    // Act
    const tenant = whiteboardImage({ whiteboardId: 'useronly_board_1' }, lambdaContext());

    // Assess
    await expect(tenant).rejects.toMatchObject({ name: 'ForbiddenError', code: 'FORBIDDEN', feishuCode: 2890005 });
    expect(alice.cached).toBe(false);
    expect(env.feishu.requests.filter((r) => r.endpoint === 'whiteboard').map((r) => r.tokenKind)).toEqual([
      'user',
      'tenant',
    ]);
  });

  it("never answers one user's copy to another user: each asks Feishu and gets a key of their own", async () => {
    // Prepare
    const alice = await invoke(baikeImage({ fileToken: 'useronly_baike_3', userAccessToken: ALICE }, lambdaContext()));

    // Act
    const bob = await invoke(baikeImage({ fileToken: 'useronly_baike_3', userAccessToken: BOB }, lambdaContext()));

    // Assess
    expect(bob.cached).toBe(false);
    expect(bob.key).not.toBe(alice.key);
    expect(baikeCalls()).toEqual(['user', 'user']);
  });

  it('asks Feishu every time, even for the same user and an immutable image', async () => {
    // Prepare
    await baikeImage({ fileToken: 'useronly_baike_4', userAccessToken: ALICE }, lambdaContext());

    // Act
    const again = await invoke(baikeImage({ fileToken: 'useronly_baike_4', userAccessToken: ALICE }, lambdaContext()));

    // Assess
    expect(again.cached).toBe(false);
    expect(baikeCalls()).toEqual(['user', 'user']);
  });

  it('leaves the shared, tenant-fetched copy untouched', async () => {
    // Prepare
    const tenant = await invoke(baikeImage({ fileToken: 'boxcn_shared_1' }, lambdaContext()));
    const before = await env.client.send(new HeadObjectCommand({ Bucket: env.bucket, Key: tenant.key }));

    // Act
    const alice = await invoke(baikeImage({ fileToken: 'boxcn_shared_1', userAccessToken: ALICE }, lambdaContext()));

    // Assess
    const after = await env.client.send(new HeadObjectCommand({ Bucket: env.bucket, Key: tenant.key }));
    expect(alice.key).not.toBe(tenant.key);
    expect(after.Metadata).toEqual(before.Metadata);
    expect(after.LastModified).toEqual(before.LastModified);
    const cached = await invoke(baikeImage({ fileToken: 'boxcn_shared_1' }, lambdaContext()));
    expect(cached).toMatchObject({ cached: true, key: tenant.key, fetchedAt: tenant.fetchedAt });
  });

  it('refuses a URL lifetime beyond the day such a copy is kept, before any call', async () => {
    // Prepare
    env.setEnv({ PRESIGN_MAX_SECONDS: '604800' });

    // Act
    const invocation = baikeImage(
      { fileToken: 'boxcn_shared_2', userAccessToken: ALICE, expiresIn: 86401 },
      lambdaContext(),
    );

    // Assess
    await expect(invocation).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('at most 86400 seconds with a user token'),
    });
    expect(env.feishu.count()).toBe(0);
    env.setEnv({ PRESIGN_MAX_SECONDS: undefined });
  });
});
