import { handler as helpdeskFaqImage } from '../../functions/helpdeskFaqImage';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import { lambdaContext } from '../support/lambdaContext';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

describe('Tenant token rules', () => {
  const env = useMirrorEnvironment();

  it('reuses one token across warm invocations', async () => {
    // Act
    for (const key of ['img_t1', 'img_t2', 'img_t3']) await imImage({ imageKey: key }, lambdaContext());

    // Assess
    expect(env.feishu.count('token')).toBe(1);
    expect(env.feishu.count('im')).toBe(3);
  });

  it('fetches the token once when many cold requests need it at the same time', async () => {
    // Act
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => imImage({ imageKey: `img_herd_${i}` }, lambdaContext())),
    );

    // Assess
    expect(answers).toHaveLength(50);
    expect(env.feishu.count('token')).toBe(1);
  });

  it('fetches a new token and retries once when Feishu revokes the cached one', async () => {
    // Prepare
    await imImage({ imageKey: 'img_before_revoke' }, lambdaContext());
    env.feishu.revokeTenantTokens();

    // Act
    const answer = await imImage({ imageKey: 'img_after_revoke' }, lambdaContext());

    // Assess
    expect(answer).toMatchObject({ kind: 'im', cached: false });
    expect(env.feishu.count('token')).toBe(2);
    expect(env.feishu.requests.filter((r) => r.endpoint === 'im').map((r) => r.status)).toEqual([200, 400, 200]);
  });

  it("replaces the token on the whiteboard API's own rejection (2890004) too", async () => {
    // Prepare
    await whiteboardImage({ whiteboardId: 'wb_before_revoke' }, lambdaContext());
    env.feishu.revokeTenantTokens();

    // Act
    const answer = await whiteboardImage({ whiteboardId: 'wb_after_revoke' }, lambdaContext());

    // Assess
    expect(answer).toMatchObject({ kind: 'whiteboard' });
    expect(env.feishu.requests.filter((r) => r.endpoint === 'whiteboard').map((r) => r.status)).toEqual([
      200, 401, 200,
    ]);
  });

  it('answers MISCONFIGURED when a fresh token is rejected too, after exactly one retry', async () => {
    // Prepare
    env.feishu.fault({
      endpoint: 'im',
      times: 2,
      kind: { type: 'status', status: 400, code: 99991663, msg: 'Invalid access token for authorization' },
    });

    // Act
    const invocation = imImage({ imageKey: 'img_rejected_twice' }, lambdaContext());

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: 'MisconfiguredError', feishuCode: 99991663 });
    expect(env.feishu.count('im')).toBe(2);
    expect(env.feishu.count('token')).toBe(2);
  });

  it('does not cache a failed token request: the next invocation asks again', async () => {
    // Prepare
    env.feishu.fault({ endpoint: 'token', kind: { type: 'tokenError', code: 10014, msg: 'app secret invalid' } });

    // Act
    const failed = imImage({ imageKey: 'img_token_fails' }, lambdaContext());
    await expect(failed).rejects.toMatchObject({ name: 'MisconfiguredError', feishuCode: 10014 });
    const next = await imImage({ imageKey: 'img_token_fails' }, lambdaContext());

    // Assess
    expect(next).toMatchObject({ kind: 'im' });
    expect(env.feishu.count('token')).toBe(2);
  });

  it('answers UPSTREAM_ERROR when the token endpoint is down, and tries again on the next invocation', async () => {
    // Prepare
    env.feishu.fault({ endpoint: 'token', times: Infinity, kind: { type: 'down' } });

    // Act
    const failed = imImage({ imageKey: 'img_token_down' }, lambdaContext());
    await expect(failed).rejects.toMatchObject({ name: 'UpstreamError', retryable: true });
    const tokenCallsWhileDown = env.feishu.count('token');
    env.feishu.reset();
    const next = await imImage({ imageKey: 'img_token_down' }, lambdaContext());

    // Assess
    expect(tokenCallsWhileDown).toBeGreaterThan(1);
    expect(next).toMatchObject({ kind: 'im' });
    expect(env.feishu.count('token')).toBe(1);
  });

  it('sends the helpdesk credentials with helpdesk calls', async () => {
    // Act
    const answer = await helpdeskFaqImage({ faqId: '6936004780707807251', imageKey: 'img_faq_1' }, lambdaContext());

    // Assess: the sandbox answers 401/154001 without the right X-Lark-Helpdesk-Authorization.
    expect(answer).toMatchObject({ kind: 'helpdesk-faq' });
  });

  it("uses the caller's user token instead of the tenant token, without fetching one", async () => {
    // Prepare
    env.feishu.addUserToken('u-7fZq2kLmN0pR4sT6vX8yA1bC3d');

    // Act
    await whiteboardImage(
      { whiteboardId: 'wb_user_1', userAccessToken: 'u-7fZq2kLmN0pR4sT6vX8yA1bC3d' },
      lambdaContext(),
    );

    // Assess
    expect(env.feishu.count('token')).toBe(0);
    expect(env.feishu.requests.map((r) => r.tokenKind)).toEqual(['user']);
  });
});
