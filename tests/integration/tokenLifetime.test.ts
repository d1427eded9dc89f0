import { handler as imImage } from '../../functions/imImage';
import { lambdaContext } from '../support/lambdaContext';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

describe('Tenant token lifetime', () => {
  // Feishu issues tokens for up to 2 hours; a short one shows the refresh before expiry.
  const env = useMirrorEnvironment({ feishu: { tokenExpireSeconds: 2 } });

  it('fetches a new token before the cached one runs out', async () => {
    // Prepare
    await imImage({ imageKey: 'img_life_1' }, lambdaContext());

    // Act
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await imImage({ imageKey: 'img_life_2' }, lambdaContext());

    // Assess
    expect(env.feishu.count('token')).toBe(2);
    expect(env.feishu.requests.filter((r) => r.endpoint === 'im').every((r) => r.status === 200)).toBe(true);
  });
});
