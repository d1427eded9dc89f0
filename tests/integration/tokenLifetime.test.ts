import { handler as imImage } from '../../functions/imImage';
import { lambdaContext } from '../support/lambdaContext';
import { startMirrorEnvironment, type MirrorEnvironment } from '../support/mirrorEnvironment';

describe('Tenant token lifetime', () => {
  let env: MirrorEnvironment;
  beforeAll(async () => {
    // Feishu issues tokens for up to 2 hours; a short one shows the refresh before expiry.
    env = await startMirrorEnvironment({ feishu: { tokenExpireSeconds: 2 } });
  });
  afterAll(() => env.close());

  it('fetches a new token before the cached one runs out', async () => {
    // Prepare
    env.reset();
    await imImage({ imageKey: 'img_life_1' }, lambdaContext());

    // Act
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await imImage({ imageKey: 'img_life_2' }, lambdaContext());

    // Assess
    expect(env.feishu.count('token')).toBe(2);
    expect(env.feishu.requests.filter((r) => r.endpoint === 'im').every((r) => r.status === 200)).toBe(true);
  });
});
