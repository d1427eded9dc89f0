import { MirrorError } from '../../../lib/errors/MirrorError';
import { storageError } from '../../../lib/storage/storageError';
import { s3Error } from '../helpers/fakeS3';

describe('Function: storageError', () => {
  it.each([
    ['NoSuchBucket', 'the bucket named by IMAGE_BUCKET does not exist'],
    [
      'AccessDenied',
      "S3 denied the function access to the bucket named by IMAGE_BUCKET; check IMAGE_BUCKET and the function's role",
    ],
    ['InvalidAccessKeyId', "S3 does not know the function's access key; check its credentials"],
    ['SignatureDoesNotMatch', "S3 rejected the function's signature; check its credentials"],
    [
      'Forbidden',
      "S3 denied the function access to the bucket named by IMAGE_BUCKET; check IMAGE_BUCKET and the function's role",
    ],
  ])('answers %s as MISCONFIGURED with a message that says what to check', (name, explanation) => {
    // Prepare
    const cause = s3Error(name, 403);

    // Act
    const error = storageError('storing feishu/im/k1', cause);

    // Assess
    expect(error).toMatchObject({
      code: 'MISCONFIGURED',
      retryable: false,
      message: `storing feishu/im/k1: ${explanation}`,
    });
    expect(error.cause).toBe(cause);
  });

  it.each(['SlowDown', 'InternalError', 'ServiceUnavailable', 'RequestTimeout'])(
    'answers %s as a retryable STORAGE_ERROR naming it',
    (name) => {
      // Act
      const error = storageError('storing feishu/im/k1', s3Error(name, 503));

      // Assess
      expect(error).toMatchObject({
        code: 'STORAGE_ERROR',
        status: 503,
        retryable: true,
        message: `storing feishu/im/k1: S3 failed (${name})`,
      });
    },
  );

  it('answers something thrown that is not an Error as a STORAGE_ERROR of an unknown kind', () => {
    // Act
    const error = storageError('looking up feishu/im/k1', 'socket hang up');

    // Assess
    expect(error).toMatchObject({
      code: 'STORAGE_ERROR',
      message: 'looking up feishu/im/k1: S3 failed (UnknownError)',
    });
  });

  it('names a refused connection by its code, even when Node reports it as an AggregateError', () => {
    // Prepare
    const refused = Object.assign(new AggregateError([new Error('connect ECONNREFUSED 127.0.0.1:4569')], ''), {
      code: 'ECONNREFUSED',
    });

    // Act
    const error = storageError('looking up feishu/im/k1', refused);

    // Assess
    expect(error).toMatchObject({
      code: 'STORAGE_ERROR',
      retryable: true,
      message: 'looking up feishu/im/k1: S3 failed (ECONNREFUSED)',
    });
  });

  it('answers MISCONFIGURED naming where credentials come from when the SDK finds none', () => {
    // Prepare: what the SDK's default chain throws when no provider has credentials.
    const cause = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
      tryNextLink: false,
    });

    // Act
    const error = storageError('looking up feishu/im/k1', cause);

    // Assess
    expect(error).toMatchObject({
      code: 'MISCONFIGURED',
      message: expect.stringContaining('the AWS SDK found no credentials'),
    });
  });

  it('answers MISCONFIGURED naming AWS_REGION when the SDK finds no region', () => {
    // Prepare: what the SDK's region resolution throws with no AWS_REGION and no profile region.
    const cause = new Error('Region is missing');

    // Act
    const error = storageError('looking up feishu/im/k1', cause);

    // Assess
    expect(error).toMatchObject({
      code: 'MISCONFIGURED',
      message: 'looking up feishu/im/k1: the AWS SDK found no region; set AWS_REGION, or a region in the AWS profile',
    });
  });

  it('answers an aborted call as a retryable STORAGE_ERROR saying the time ran out', () => {
    // Prepare: what the SDK's HTTP handler throws when the call's abort signal fires.
    const cause = Object.assign(new Error('Request aborted'), { name: 'AbortError' });

    // Act
    const error = storageError('storing feishu/im/k1', cause);

    // Assess
    expect(error).toMatchObject({
      code: 'STORAGE_ERROR',
      status: 503,
      retryable: true,
      message: 'storing feishu/im/k1: S3 did not answer in the time the invocation had left (AbortError)',
    });
  });

  it('passes a MirrorError through unchanged, such as missing credentials', () => {
    // Prepare
    const misconfigured = new MirrorError('MISCONFIGURED', 'no AWS credentials in the environment');

    // Act
    const error = storageError('storing feishu/im/k1', misconfigured);

    // Assess
    expect(error).toBe(misconfigured);
  });
});
