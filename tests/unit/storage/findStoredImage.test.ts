import 'aws-sdk-client-mock-jest';
import { GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { findStoredImage } from '../../../lib/storage/findStoredImage';
import { Deadline } from '../../../lib/runtime/Deadline';
import { logger } from '../../../lib/runtime/logger';
import { FakeS3, s3Error, type FakeObject } from '../helpers/fakeS3';
import { rejectionOf } from '../helpers/thrownBy';

const BUCKET = 'feishu-image-mirror-dev-images';
const KEY = 'feishu/im/img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g';
const SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const FETCHED_AT = '2026-11-21T08:15:42.123Z';

function storedAs(s3: FakeS3, size: number, properties: Omit<FakeObject, 'body'>): void {
  s3.put(BUCKET, KEY, { body: Buffer.alloc(size), ...properties });
}

const signal = () => new Deadline(10_000).signal;

describe('Function: findStoredImage', () => {
  let s3: FakeS3;
  beforeEach(() => {
    s3 = new FakeS3();
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers the stored image from one HEAD, with its metadata', async () => {
    // Prepare
    storedAs(s3, 48213, {
      contentType: 'image/png',
      metadata: { sha256: SHA256, 'fetched-at': FETCHED_AT, 'feishu-log-id': '202611210815421A2B3C4D5E6F7A8B9C0D' },
    });

    // Act
    const stored = await findStoredImage(s3.client, BUCKET, KEY, signal());

    // Assess
    expect(stored).toEqual({
      bucket: BUCKET,
      key: KEY,
      contentType: 'image/png',
      size: 48213,
      sha256: SHA256,
      fetchedAt: FETCHED_AT,
      logId: '202611210815421A2B3C4D5E6F7A8B9C0D',
    });
    expect(s3.mock).toHaveReceivedCommandTimes(HeadObjectCommand, 1);
    expect(s3.mock).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: BUCKET, Key: KEY });
    expect(s3.mock).not.toHaveReceivedCommand(GetObjectTaggingCommand);
  });

  it('answers a stored image without a Feishu log id', async () => {
    // Prepare
    storedAs(s3, 10, { contentType: 'image/gif', metadata: { sha256: SHA256, 'fetched-at': FETCHED_AT } });

    // Act
    const stored = await findStoredImage(s3.client, BUCKET, KEY, signal());

    // Assess
    expect(stored).toMatchObject({ contentType: 'image/gif', size: 10, logId: undefined });
  });

  it("reads a large image's sha256 from its tag when its metadata has none", async () => {
    // Prepare
    s3.put(BUCKET, KEY, {
      body: Buffer.alloc(64),
      contentType: 'image/png',
      metadata: { 'fetched-at': FETCHED_AT },
      tags: { sha256: SHA256 },
    });

    // Act
    const stored = await findStoredImage(s3.client, BUCKET, KEY, signal());

    // Assess
    expect(stored).toMatchObject({ size: 64, sha256: SHA256 });
    expect(s3.sent()).toEqual(['HeadObject', 'GetObjectTagging']);
    expect(s3.mock).toHaveReceivedCommandWith(GetObjectTaggingCommand, { Bucket: BUCKET, Key: KEY });
  });

  it('makes no tag request for an image whose metadata holds its sha256', async () => {
    // Prepare
    storedAs(s3, 10, { contentType: 'image/png', metadata: { sha256: SHA256, 'fetched-at': FETCHED_AT } });

    // Act
    await findStoredImage(s3.client, BUCKET, KEY, signal());

    // Assess
    expect(s3.sent()).toEqual(['HeadObject']);
  });

  it('answers undefined when HEAD answers 404 (no object under the key)', async () => {
    // Act
    const stored = await findStoredImage(s3.client, BUCKET, KEY, signal());

    // Assess
    expect(stored).toBeUndefined();
  });

  it.each([
    [
      'no sha256 in its metadata nor its tags (a large image whose sha256 was not recorded yet)',
      { contentType: 'image/png', metadata: { 'fetched-at': FETCHED_AT } },
    ],
    ['no fetched-at', { contentType: 'image/png', metadata: { sha256: SHA256 } }],
    ['no metadata at all', { contentType: 'image/png', metadata: {} }],
    ['no Content-Type', { contentType: '', metadata: { sha256: SHA256, 'fetched-at': FETCHED_AT } }],
  ])('answers undefined for an object with %s', async (_, properties: Omit<FakeObject, 'body'>) => {
    // Prepare
    storedAs(s3, 10, properties);

    // Act
    const stored = await findStoredImage(s3.client, BUCKET, KEY, signal());

    // Assess
    expect(stored).toBeUndefined();
  });

  it.each(['image/png.html', 'image/jxl'])(
    'answers undefined, so that it is fetched again, for an image stored as %s, no known image type',
    async (contentType) => {
      // Prepare
      storedAs(s3, 10, { contentType, metadata: { sha256: SHA256, 'fetched-at': FETCHED_AT } });
      const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);

      // Act
      const stored = await findStoredImage(s3.client, BUCKET, KEY, signal());

      // Assess
      expect(stored).toBeUndefined();
      expect(warn).toHaveBeenCalledWith('stored image not served', {
        key: KEY,
        reason: 'its Content-Type is no known image type',
      });
    },
  );

  it('answers the stored file name, decoded', async () => {
    // Prepare
    storedAs(s3, 10, {
      contentType: 'image/png',
      metadata: { sha256: SHA256, 'fetched-at': FETCHED_AT, 'file-name': encodeURIComponent('Café résumé') },
    });

    // Act
    const stored = await findStoredImage(s3.client, BUCKET, KEY, signal());

    // Assess
    expect(stored?.fileName).toBe('Café résumé');
  });

  it('answers no file name, so that the id names the file, when the stored one holds a token', async () => {
    // Prepare
    storedAs(s3, 10, {
      contentType: 'image/png',
      metadata: { sha256: SHA256, 'fetched-at': FETCHED_AT, 'file-name': 't-g1044q7TSTLuBtCqBnQeRm3E7zUSkSWd' },
    });
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const stored = await findStoredImage(s3.client, BUCKET, KEY, signal());

    // Assess
    expect(stored).toMatchObject({ contentType: 'image/png', sha256: SHA256 });
    expect(stored).not.toHaveProperty('fileName');
    expect(warn).toHaveBeenCalledWith('file name dropped', { image: KEY, reason: 'it holds a secret or a token' });
  });

  it('answers STORAGE_ERROR, retryable, when S3 fails', async () => {
    // Prepare
    s3.fail(HeadObjectCommand, s3Error('InternalError', 500, 'We encountered an internal error. Please try again.'));

    // Act
    const error = await rejectionOf(findStoredImage(s3.client, BUCKET, KEY, signal()));

    // Assess
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', name: 'StorageError', status: 503, retryable: true });
    expect(error.message).toBe(`looking up ${KEY}: S3 failed (InternalError)`);
  });

  it('answers MISCONFIGURED naming IMAGE_BUCKET when S3 denies the HEAD', async () => {
    // Prepare: a HEAD answer has no body; the SDK names a bare 403 by its status.
    s3.fail(HeadObjectCommand, s3Error('Forbidden', 403, 'UnknownError'));

    // Act
    const error = await rejectionOf(findStoredImage(s3.client, BUCKET, KEY, signal()));

    // Assess
    expect(error).toMatchObject({ code: 'MISCONFIGURED', retryable: false });
    expect(error.message).toContain('IMAGE_BUCKET');
  });

  it("passes the invocation's abort signal to every call", async () => {
    // Prepare
    s3.put(BUCKET, KEY, {
      body: Buffer.alloc(64),
      contentType: 'image/png',
      metadata: { 'fetched-at': FETCHED_AT },
      tags: { sha256: SHA256 },
    });
    const abortSignal = signal();

    // Act
    await findStoredImage(s3.client, BUCKET, KEY, abortSignal);

    // Assess
    expect(s3.abortSignals()).toEqual([abortSignal, abortSignal]);
  });

  it('answers STORAGE_ERROR, retryable, when the call was aborted because the invocation ran out of time', async () => {
    // Prepare
    s3.fail(HeadObjectCommand, Object.assign(new Error('Request aborted'), { name: 'AbortError' }));

    // Act
    const error = await rejectionOf(findStoredImage(s3.client, BUCKET, KEY, signal()));

    // Assess
    expect(error).toMatchObject({
      code: 'STORAGE_ERROR',
      retryable: true,
      message: `looking up ${KEY}: S3 did not answer in the time the invocation had left (AbortError)`,
    });
  });
});
