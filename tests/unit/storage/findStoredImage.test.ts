import { HeadObjectCommand, NoSuchBucket, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { findStoredImage } from '../../../lib/storage/findStoredImage';
import { rejectionOf } from '../helpers/thrownBy';

const BUCKET = 'feishu-image-mirror-dev-images';
const KEY = 'feishu/im/img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g';
const SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
const s3 = mockClient(S3Client);

function s3Error(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode }, message: name });
}

describe('Function: findStoredImage', () => {
  beforeEach(() => {
    s3.reset();
  });

  it('answers the stored image from one HEAD, with its metadata', async () => {
    // Prepare
    s3.on(HeadObjectCommand).resolves({
      ContentType: 'image/png',
      ContentLength: 48213,
      Metadata: { sha256: SHA256, 'fetched-at': '2026-11-21T08:15:42.123Z', 'feishu-log-id': '202611210815421A2B3C4D5E6F7A8B9C0D' },
    });

    // Act
    const stored = await findStoredImage(client, BUCKET, KEY);

    // Assess
    expect(stored).toEqual({
      bucket: BUCKET,
      key: KEY,
      contentType: 'image/png',
      size: 48213,
      sha256: SHA256,
      fetchedAt: '2026-11-21T08:15:42.123Z',
      logId: '202611210815421A2B3C4D5E6F7A8B9C0D',
    });
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(1);
    expect(s3.commandCalls(HeadObjectCommand)[0]!.args[0].input).toEqual({ Bucket: BUCKET, Key: KEY });
    expect(s3.calls()).toHaveLength(1);
  });

  it('answers a stored image without a Feishu log id', async () => {
    // Prepare
    s3.on(HeadObjectCommand).resolves({ ContentType: 'image/gif', ContentLength: 10, Metadata: { sha256: SHA256, 'fetched-at': '2026-11-21T08:15:42.123Z' } });

    // Act
    const stored = await findStoredImage(client, BUCKET, KEY);

    // Assess
    expect(stored).toMatchObject({ contentType: 'image/gif', logId: undefined });
  });

  it.each([
    ['NotFound', new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } })],
    ['NoSuchKey', s3Error('NoSuchKey', 404)],
  ])('answers undefined when S3 says %s', async (_, error) => {
    // Prepare
    s3.on(HeadObjectCommand).rejects(error);

    // Act
    const stored = await findStoredImage(client, BUCKET, KEY);

    // Assess
    expect(stored).toBeUndefined();
  });

  it.each([
    ['no sha256 (a multipart upload whose sha256 was not recorded yet)', { ContentType: 'image/png', ContentLength: 10, Metadata: { 'fetched-at': '2026-11-21T08:15:42.123Z' } }],
    ['no fetched-at', { ContentType: 'image/png', ContentLength: 10, Metadata: { sha256: SHA256 } }],
    ['no metadata at all', { ContentType: 'image/png', ContentLength: 10 }],
    ['no Content-Type', { ContentLength: 10, Metadata: { sha256: SHA256, 'fetched-at': '2026-11-21T08:15:42.123Z' } }],
  ])('answers undefined for an object with %s', async (_, head) => {
    // Prepare
    s3.on(HeadObjectCommand).resolves(head);

    // Act
    const stored = await findStoredImage(client, BUCKET, KEY);

    // Assess
    expect(stored).toBeUndefined();
  });

  it('answers STORAGE_ERROR, retryable, when S3 fails', async () => {
    // Prepare
    s3.on(HeadObjectCommand).rejects(s3Error('InternalError', 500));

    // Act
    const error = await rejectionOf(findStoredImage(client, BUCKET, KEY));

    // Assess
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', name: 'StorageError', status: 503, retryable: true });
    expect(error.message).toBe(`looking up ${KEY}: S3 failed (InternalError)`);
  });

  it('answers MISCONFIGURED naming IMAGE_BUCKET when the bucket does not exist', async () => {
    // Prepare
    s3.on(HeadObjectCommand).rejects(new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: { httpStatusCode: 404 } }));

    // Act
    const error = await rejectionOf(findStoredImage(client, BUCKET, KEY));

    // Assess
    expect(error).toMatchObject({ code: 'MISCONFIGURED', name: 'MisconfiguredError' });
    expect(error.message).toContain('IMAGE_BUCKET');
  });

  it('answers MISCONFIGURED when S3 denies the HEAD (a 403 without a body, as the SDK reports it)', async () => {
    // Prepare: a HEAD answer has no body, so the SDK cannot name the error and calls it "Unknown".
    s3.on(HeadObjectCommand).rejects(s3Error('Unknown', 403));

    // Act
    const error = await rejectionOf(findStoredImage(client, BUCKET, KEY));

    // Assess
    expect(error).toMatchObject({ code: 'MISCONFIGURED', retryable: false });
    expect(error.message).toContain('IMAGE_BUCKET');
  });
});
