import { handler as imImage } from '../../functions/imImage';
import { lambdaContext } from '../support/lambdaContext';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

describe('S3 failures', () => {
  const env = useMirrorEnvironment();

  it('answers MISCONFIGURED naming IMAGE_BUCKET when the bucket does not exist', async () => {
    // Prepare
    env.setEnv({ IMAGE_BUCKET: 'no-such-bucket-here' });

    // Act
    const invocation = imImage({ imageKey: 'img_nobucket' }, lambdaContext());

    // Assess
    await expect(invocation).rejects.toMatchObject({
      name: 'MisconfiguredError',
      message: expect.stringContaining('IMAGE_BUCKET'),
    });
    env.setEnv({ IMAGE_BUCKET: env.bucket });
  });

  it('answers STORAGE_ERROR, retryable, when S3 is down', async () => {
    // Prepare
    await env.s3.close();

    // Act
    const invocation = imImage({ imageKey: 'img_s3_down' }, lambdaContext());

    // Assess
    await expect(invocation).rejects.toMatchObject({
      name: 'StorageError',
      status: 503,
      retryable: true,
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});
