import { createHash } from 'node:crypto';
import { AwsServiceError } from '../../../lib/aws/AwsServiceError';
import { MeteredBody } from '../../../lib/image/MeteredBody';
import { Deadline } from '../../../lib/runtime/Deadline';
import type { ObjectProperties, UploadedPart } from '../../../lib/storage/S3Api';
import { MULTIPART_UPLOADS_AT_ONCE, PART_BYTES, PARTS_IN_FLIGHT, storeImage, type StoreTarget } from '../../../lib/storage/storeImage';
import { FakeS3Api } from '../helpers/fakeS3Api';
import { pngBody } from '../helpers/images';
import { breakingStream, chunked, streamOf } from '../helpers/streams';
import { rejectionOf } from '../helpers/thrownBy';

const BUCKET = 'feishu-image-mirror-dev-images';
const KEY = 'feishu/helpdesk-faq/6947428293384273921/img_v2_041b28e3-5680-48c2-9af2-497ace79333g';
const FETCHED_AT = '2026-11-21T08:15:42.123Z';
const LOG_ID = '202611210815421A2B3C4D5E6F7A8B9C0D';
const SUBJECT = 'helpdesk FAQ image 6947428293384273921/img_v2_041b28e3-5680-48c2-9af2-497ace79333g';

const target: StoreTarget = { bucket: BUCKET, key: KEY, contentType: 'image/png', fetchedAt: FETCHED_AT, logId: LOG_ID };

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function metered(stream: ReadableStream<Uint8Array>, maxBytes = 100 * 1024 * 1024, expectedLength?: number): MeteredBody {
  return new MeteredBody(stream, { maxBytes, subject: SUBJECT, deadline: new Deadline(30_000), expectedLength });
}

function s3Error(name: string, status: number): AwsServiceError {
  return new AwsServiceError(name, `${name}: injected`, status, 'R7KX3Q9C2B5D8F1A');
}

describe('Function: storeImage', () => {
  let s3: FakeS3Api;
  beforeEach(() => {
    s3 = new FakeS3Api();
  });

  describe('an image of at most PART_BYTES', () => {
    it('stores it with one PUT carrying its Content-Type, metadata and sha256 as the signed payload hash', async () => {
      // Prepare
      const bytes = pngBody(48_213);

      // Act
      const stored = await storeImage(s3.asClient(), metered(streamOf(bytes.subarray(0, 20_000), bytes.subarray(20_000))), target);

      // Assess
      expect(s3.calls.map((call) => call.operation)).toEqual(['PutObject']);
      const [body, properties, payloadHash] = s3.callsOf('PutObject')[0]!.args as [Buffer, ObjectProperties, string];
      expect(body.equals(bytes)).toBe(true);
      expect(properties).toEqual({ contentType: 'image/png', metadata: { sha256: sha256(bytes), 'fetched-at': FETCHED_AT, 'feishu-log-id': LOG_ID } });
      expect(payloadHash).toBe(sha256(bytes));
      expect(stored).toEqual({ bucket: BUCKET, key: KEY, contentType: 'image/png', size: 48_213, sha256: sha256(bytes), fetchedAt: FETCHED_AT, logId: LOG_ID });
    });

    it('leaves out the feishu-log-id metadata when there is no log id', async () => {
      // Act
      await storeImage(s3.asClient(), metered(streamOf(pngBody(100))), { ...target, logId: undefined });

      // Assess
      expect((s3.callsOf('PutObject')[0]!.args[1] as ObjectProperties).metadata).toEqual({ sha256: sha256(pngBody(100)), 'fetched-at': FETCHED_AT });
    });

    it('leaves out a metadata value that is not printable ASCII, which would break the request', async () => {
      // Act
      await storeImage(s3.asClient(), metered(streamOf(pngBody(100))), { ...target, logId: `2026${String.fromCharCode(0xe9, 0xa0)}` });

      // Assess
      expect((s3.callsOf('PutObject')[0]!.args[1] as ObjectProperties).metadata).toEqual({ sha256: sha256(pngBody(100)), 'fetched-at': FETCHED_AT });
    });

    it('stores an image of exactly PART_BYTES with one PUT', async () => {
      // Act
      const stored = await storeImage(s3.asClient(), metered(streamOf(...chunked(PART_BYTES, 64 * 1024))), target);

      // Assess
      expect(s3.calls.map((call) => call.operation)).toEqual(['PutObject']);
      expect(stored.size).toBe(PART_BYTES);
    });

    it('answers STORAGE_ERROR when S3 fails the PUT', async () => {
      // Prepare
      s3.fail('PutObject', s3Error('SlowDown', 503));

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), metered(streamOf(pngBody(100))), target));

      // Assess
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', name: 'StorageError', retryable: true, message: `storing ${KEY}: S3 failed (SlowDown)` });
    });

    it('answers MISCONFIGURED naming IMAGE_BUCKET when the bucket does not exist', async () => {
      // Prepare
      s3.fail('PutObject', s3Error('NoSuchBucket', 404));

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), metered(streamOf(pngBody(100))), target));

      // Assess
      expect(error).toMatchObject({ code: 'MISCONFIGURED', message: expect.stringContaining('IMAGE_BUCKET') });
    });

    it('throws the body\'s error and calls S3 not at all when the body breaks early', async () => {
      // Prepare
      const body = metered(breakingStream([pngBody(1000)], new TypeError('terminated')));

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), body, target));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', message: `${SUBJECT}: the connection to Feishu broke after 1000 bytes` });
      expect(s3.calls).toHaveLength(0);
    });
  });

  describe('an image over PART_BYTES whose length Feishu announced', () => {
    const SIZE = PART_BYTES * 3 + 4321;

    it('streams it in one PUT of that length, then records its sha256 as the object\'s tag', async () => {
      // Prepare
      const chunks = chunked(SIZE, 64 * 1024);
      const bytes = Buffer.concat(chunks);

      // Act
      const stored = await storeImage(s3.asClient(), metered(streamOf(...chunks), SIZE, SIZE), target);

      // Assess
      expect(s3.calls.map((call) => call.operation)).toEqual(['PutObject', 'PutObjectTagging']);
      expect(s3.callsOf('PutObject')[0]!.args).toEqual([SIZE, { contentType: 'image/png', metadata: { 'fetched-at': FETCHED_AT, 'feishu-log-id': LOG_ID } }]);
      expect(s3.callsOf('PutObjectTagging')[0]!.args).toEqual([{ sha256: sha256(bytes) }]);
      expect(s3.objects.get(`${BUCKET}/${KEY}`)?.body.equals(bytes)).toBe(true);
      expect(stored).toMatchObject({ size: SIZE, sha256: sha256(bytes) });
    });

    it('throws the body\'s error when the body breaks mid-way, and S3 keeps nothing and no tag is written', async () => {
      // Prepare
      const body = metered(breakingStream(chunked(PART_BYTES * 2, 128 * 1024), new TypeError('terminated')), SIZE, SIZE);

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), body, target));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', message: `${SUBJECT}: the connection to Feishu broke after ${PART_BYTES * 2} bytes` });
      expect(s3.objects.size).toBe(0);
      expect(s3.callsOf('PutObjectTagging')).toHaveLength(0);
    });

    it('throws the body\'s error when Feishu sends fewer bytes than it announced, and S3 keeps nothing', async () => {
      // Prepare
      const body = metered(streamOf(...chunked(PART_BYTES * 2, 128 * 1024)), SIZE, SIZE);

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), body, target));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', message: `${SUBJECT}: Feishu sent ${PART_BYTES * 2} of the ${SIZE} bytes it announced` });
      expect(s3.objects.size).toBe(0);
    });

    it('answers STORAGE_ERROR when recording the sha256 fails', async () => {
      // Prepare
      s3.fail('PutObjectTagging', s3Error('InternalError', 500));

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), metered(streamOf(...chunked(SIZE, 256 * 1024)), SIZE, SIZE), target));

      // Assess
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: true });
    });
  });

  describe('an image over PART_BYTES of unknown length', () => {
    const SIZE = PART_BYTES + 300 * 1024;

    it('streams it as a multipart upload, then records its sha256 as the object\'s tag', async () => {
      // Prepare
      const chunks = chunked(SIZE, 64 * 1024);
      const bytes = Buffer.concat(chunks);

      // Act
      const stored = await storeImage(s3.asClient(), metered(streamOf(...chunks)), target);

      // Assess
      expect(s3.callsOf('PutObject')).toHaveLength(0);
      expect(s3.callsOf('CreateMultipartUpload')[0]!.args[0]).toEqual({ contentType: 'image/png', metadata: { 'fetched-at': FETCHED_AT, 'feishu-log-id': LOG_ID } });
      const parts = s3.callsOf('UploadPart').map((call) => call.args as [string, number, Buffer]).sort((a, b) => a[1] - b[1]);
      expect(parts.map(([, partNumber]) => partNumber)).toEqual([1, 2]);
      expect(Buffer.concat(parts.map(([, , body]) => body)).equals(bytes)).toBe(true);
      expect(s3.callsOf('CompleteMultipartUpload')[0]!.args[1] as UploadedPart[]).toEqual(expect.arrayContaining([{ partNumber: 1, etag: '"etag-1"' }, { partNumber: 2, etag: '"etag-2"' }]));
      expect(s3.callsOf('PutObjectTagging')[0]!.args[0]).toEqual({ sha256: sha256(bytes) });
      expect(s3.objects.get(`${BUCKET}/${KEY}`)?.body.equals(bytes)).toBe(true);
      expect(stored).toMatchObject({ size: SIZE, sha256: sha256(bytes) });
    });

    it(`runs at most ${MULTIPART_UPLOADS_AT_ONCE} multipart uploads at once in a container, the others waiting their turn`, async () => {
      // Prepare
      let open = 0;
      let most = 0;
      const create = s3.createMultipartUpload.bind(s3);
      s3.createMultipartUpload = async (...args) => {
        open += 1;
        most = Math.max(most, open);
        return create(...args);
      };
      const complete = s3.completeMultipartUpload.bind(s3);
      s3.completeMultipartUpload = async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        open -= 1;
        return complete(...args);
      };

      // Act
      const stores = [1, 2, 3, 4, 5].map((n) => storeImage(s3.asClient(), metered(streamOf(...chunked(SIZE, 512 * 1024))), { ...target, key: `${KEY}-${n}` }));
      await Promise.all(stores);

      // Assess
      expect(most).toBe(MULTIPART_UPLOADS_AT_ONCE);
      expect(s3.callsOf('CompleteMultipartUpload')).toHaveLength(5);
    });

    it('tags only after the upload is complete, once', async () => {
      // Act
      await storeImage(s3.asClient(), metered(streamOf(...chunked(SIZE, 256 * 1024))), target);

      // Assess
      const order = s3.calls.map((call) => call.operation);
      expect(order.indexOf('PutObjectTagging')).toBeGreaterThan(order.indexOf('CompleteMultipartUpload'));
      expect(order.filter((name) => name === 'PutObjectTagging')).toHaveLength(1);
    });

    it(`keeps at most ${PARTS_IN_FLIGHT} parts in flight, reading the next part while earlier ones upload`, async () => {
      // Prepare
      const size = PART_BYTES * 9 + 1234;
      let inFlight = 0;
      let most = 0;
      const slow = s3.uploadPart.bind(s3);
      s3.uploadPart = async (...args) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return slow(...args);
      };

      // Act
      const stored = await storeImage(s3.asClient(), metered(streamOf(...chunked(size, 512 * 1024))), target);

      // Assess
      expect(stored.size).toBe(size);
      expect(most).toBe(PARTS_IN_FLIGHT);
      expect(s3.callsOf('UploadPart')).toHaveLength(10);
    });

    it('throws the body\'s error, not S3\'s, when the body breaks mid-way, and aborts the upload without completing it', async () => {
      // Prepare
      const body = metered(breakingStream(chunked(PART_BYTES * 2 + 512 * 1024, 128 * 1024), new TypeError('terminated')));

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), body, target));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', message: `${SUBJECT}: the connection to Feishu broke after ${PART_BYTES * 2 + 512 * 1024} bytes` });
      expect(s3.callsOf('CompleteMultipartUpload')).toHaveLength(0);
      expect(s3.callsOf('PutObjectTagging')).toHaveLength(0);
      expect(s3.callsOf('AbortMultipartUpload')).toHaveLength(1);
      expect(s3.openUploads).toBe(0);
    });

    it('calls S3 not at all when the body breaks before its second part is whole', async () => {
      // Prepare
      const body = metered(breakingStream(chunked(PART_BYTES + 512 * 1024, 128 * 1024), new TypeError('terminated')));

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), body, target));

      // Assess
      expect(error.code).toBe('UPSTREAM_ERROR');
      expect(s3.calls).toHaveLength(0);
    });

    it('answers PAYLOAD_TOO_LARGE, aborting the upload, when the body passes the limit mid-way', async () => {
      // Prepare
      const body = metered(streamOf(...chunked(PART_BYTES * 3, 128 * 1024)), PART_BYTES * 2 + 300 * 1024);

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), body, target));

      // Assess
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(s3.callsOf('CompleteMultipartUpload')).toHaveLength(0);
      expect(s3.callsOf('AbortMultipartUpload')).toHaveLength(1);
    });

    it('answers STORAGE_ERROR and aborts the upload when S3 fails a part', async () => {
      // Prepare
      s3.fail('UploadPart', s3Error('InternalError', 500));

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), metered(streamOf(...chunked(SIZE, 256 * 1024))), target));

      // Assess
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', message: `storing ${KEY}: S3 failed (InternalError)` });
      expect(s3.callsOf('AbortMultipartUpload')).toHaveLength(1);
      expect(s3.callsOf('CompleteMultipartUpload')).toHaveLength(0);
    });

    it('aborts only after every part in flight has settled, so no part lands after the abort', async () => {
      // Prepare
      const events: string[] = [];
      const upload = s3.uploadPart.bind(s3);
      s3.uploadPart = async (bucket, key, uploadId, partNumber, body) => {
        await new Promise((resolve) => setTimeout(resolve, partNumber === 1 ? 1 : 20));
        events.push(`part ${partNumber} settled`);
        if (partNumber === 1) throw s3Error('InternalError', 500);
        return upload(bucket, key, uploadId, partNumber, body);
      };
      const abort = s3.abortMultipartUpload.bind(s3);
      s3.abortMultipartUpload = async (...args) => {
        events.push('abort');
        return abort(...args);
      };

      // Act
      await rejectionOf(storeImage(s3.asClient(), metered(streamOf(...chunked(PART_BYTES * 4, 512 * 1024))), target));

      // Assess
      expect(events.at(-1)).toBe('abort');
      expect(events.filter((event) => event.endsWith('settled')).length).toBeGreaterThanOrEqual(2);
    });

    it('answers STORAGE_ERROR when recording the sha256 of a multipart upload fails', async () => {
      // Prepare
      s3.fail('PutObjectTagging', s3Error('InternalError', 500));

      // Act
      const error = await rejectionOf(storeImage(s3.asClient(), metered(streamOf(...chunked(SIZE, 256 * 1024))), target));

      // Assess
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: true });
    });
  });
});
