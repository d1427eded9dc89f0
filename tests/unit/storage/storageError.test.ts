import { AwsServiceError } from '../../../lib/aws/AwsServiceError';
import { MirrorError } from '../../../lib/errors/MirrorError';
import { storageError } from '../../../lib/storage/storageError';

function s3Error(name: string, status = 400): AwsServiceError {
  return new AwsServiceError(name, `${name} happened`, status, 'R7KX3Q9C2B5D8F1A');
}

describe('Function: storageError', () => {
  it.each([
    ['NoSuchBucket', 'the bucket named by IMAGE_BUCKET does not exist'],
    ['AccessDenied', "S3 denied the function access to the bucket named by IMAGE_BUCKET; check IMAGE_BUCKET and the function's role"],
    ['InvalidAccessKeyId', "S3 does not know the function's access key; check its credentials"],
    ['SignatureDoesNotMatch', "S3 rejected the function's signature; check its credentials"],
  ])('answers %s as MISCONFIGURED with a message that says what to check', (name, explanation) => {
    // Prepare
    const cause = s3Error(name);

    // Act
    const error = storageError('storing feishu/im/k1', cause);

    // Assess
    expect(error).toMatchObject({ code: 'MISCONFIGURED', retryable: false, message: `storing feishu/im/k1: ${explanation}` });
    expect(error.cause).toBe(cause);
  });

  it.each(['SlowDown', 'InternalError', 'ServiceUnavailable', 'RequestTimeout'])('answers %s as a retryable STORAGE_ERROR naming it', (name) => {
    // Act
    const error = storageError('storing feishu/im/k1', s3Error(name));

    // Assess
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', status: 503, retryable: true, message: `storing feishu/im/k1: S3 failed (${name})` });
  });

  it('answers something thrown that is not an Error as a STORAGE_ERROR of an unknown kind', () => {
    // Act
    const error = storageError('looking up feishu/im/k1', 'socket hang up');

    // Assess
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', message: 'looking up feishu/im/k1: S3 failed (UnknownError)' });
  });

  it('names a refused connection by its code, even when Node reports it as an AggregateError', () => {
    // Prepare
    const refused = Object.assign(new AggregateError([new Error('connect ECONNREFUSED 127.0.0.1:4569')], ''), { code: 'ECONNREFUSED' });

    // Act
    const error = storageError('looking up feishu/im/k1', refused);

    // Assess
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: true, message: 'looking up feishu/im/k1: S3 failed (ECONNREFUSED)' });
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
