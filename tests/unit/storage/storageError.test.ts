import { S3ServiceException } from '@aws-sdk/client-s3';
import { storageError } from '../../../lib/storage/storageError';

function s3Error(name: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message: `${name} happened` });
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
});
