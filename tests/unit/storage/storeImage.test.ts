import 'aws-sdk-client-mock-jest';
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { MeteredBody } from '../../../lib/image/MeteredBody';
import { Deadline } from '../../../lib/runtime/Deadline';
import {
  MULTIPART_UPLOADS_AT_ONCE,
  PART_BYTES,
  PARTS_IN_FLIGHT,
  storeImage,
  type StoreTarget,
} from '../../../lib/storage/storeImage';
import { FakeS3, networkError, s3Error } from '../helpers/fakeS3';
import { pngBody } from '../helpers/images';
import { breakingStream, chunked, streamOf } from '../helpers/streams';
import { rejectionOf } from '../helpers/thrownBy';

const BUCKET = 'feishu-image-mirror-dev-images';
const KEY = 'feishu/helpdesk-faq/6947428293384273921/img_v2_041b28e3-5680-48c2-9af2-497ace79333g';
const FETCHED_AT = '2026-11-21T08:15:42.123Z';
const LOG_ID = '202611210815421A2B3C4D5E6F7A8B9C0D';

const target: StoreTarget = {
  bucket: BUCKET,
  key: KEY,
  contentType: 'image/png',
  fetchedAt: FETCHED_AT,
  logId: LOG_ID,
};
const METADATA = { 'fetched-at': FETCHED_AT, 'feishu-log-id': LOG_ID };

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function metered(
  stream: ReadableStream<Uint8Array>,
  maxBytes = 100 * 1024 * 1024,
  expectedLength?: number,
): MeteredBody {
  return new MeteredBody(stream, { maxBytes, signal: new Deadline(30_000).signal, expectedLength });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Function: storeImage', () => {
  let s3: FakeS3;
  let deadline: Deadline;
  beforeEach(() => {
    s3 = new FakeS3();
    deadline = new Deadline(30_000, 3_000);
  });

  describe('an image of at most PART_BYTES', () => {
    it('stores it with one PutObject carrying its bytes, Content-Type and metadata with its sha256', async () => {
      // Prepare
      const bytes = pngBody(48_213);

      // Act
      const stored = await storeImage(
        s3.client,
        metered(streamOf(bytes.subarray(0, 20_000), bytes.subarray(20_000))),
        target,
        deadline,
      );

      // Assess
      expect(s3.sent()).toEqual(['PutObject']);
      expect(s3.mock).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: BUCKET,
        Key: KEY,
        ContentType: 'image/png',
        Metadata: { sha256: sha256(bytes), ...METADATA },
      });
      expect(Buffer.from(s3.inputsOf(PutObjectCommand)[0]!.Body as Uint8Array).equals(bytes)).toBe(true);
      expect(stored).toEqual({
        bucket: BUCKET,
        key: KEY,
        contentType: 'image/png',
        size: 48_213,
        sha256: sha256(bytes),
        fetchedAt: FETCHED_AT,
        logId: LOG_ID,
      });
    });

    it('leaves out the feishu-log-id metadata when there is no log id', async () => {
      // Act
      await storeImage(s3.client, metered(streamOf(pngBody(100))), { ...target, logId: undefined }, deadline);

      // Assess
      expect(s3.inputsOf(PutObjectCommand)[0]!.Metadata).toEqual({
        sha256: sha256(pngBody(100)),
        'fetched-at': FETCHED_AT,
      });
    });

    it('leaves out a metadata value that is not printable ASCII, which would break the request', async () => {
      // Act
      await storeImage(
        s3.client,
        metered(streamOf(pngBody(100))),
        { ...target, logId: `2026${String.fromCharCode(0xe9, 0xa0)}` },
        deadline,
      );

      // Assess
      expect(s3.inputsOf(PutObjectCommand)[0]!.Metadata).toEqual({
        sha256: sha256(pngBody(100)),
        'fetched-at': FETCHED_AT,
      });
    });

    it('stores an image of exactly PART_BYTES with one PutObject', async () => {
      // Act
      const stored = await storeImage(
        s3.client,
        metered(streamOf(...chunked(PART_BYTES, 64 * 1024))),
        target,
        deadline,
      );

      // Assess
      expect(s3.sent()).toEqual(['PutObject']);
      expect(stored.size).toBe(PART_BYTES);
    });

    it("sends the PutObject with the invocation's abort signal", async () => {
      // Act
      await storeImage(s3.client, metered(streamOf(pngBody(100))), target, deadline);

      // Assess
      expect(s3.abortSignals()).toEqual([deadline.signal]);
    });

    it.each([
      ['SlowDown', s3Error('SlowDown', 503), 'S3 failed (SlowDown)'],
      ['InternalError', s3Error('InternalError', 500), 'S3 failed (InternalError)'],
      ['a network error', networkError(), 'S3 failed (ECONNREFUSED)'],
      [
        'an aborted call',
        Object.assign(new Error('Request aborted'), { name: 'AbortError' }),
        'S3 did not answer in the time the invocation had left (AbortError)',
      ],
    ])('answers STORAGE_ERROR, retryable, when the PutObject fails with %s', async (_, failure, reason) => {
      // Prepare
      s3.fail(PutObjectCommand, failure);

      // Act
      const error = await rejectionOf(storeImage(s3.client, metered(streamOf(pngBody(100))), target, deadline));

      // Assess
      expect(error).toMatchObject({
        code: 'STORAGE_ERROR',
        name: 'StorageError',
        retryable: true,
        message: `storing ${KEY}: ${reason}`,
      });
    });

    it('answers MISCONFIGURED naming IMAGE_BUCKET when the bucket does not exist', async () => {
      // Prepare
      s3.fail(PutObjectCommand, s3Error('NoSuchBucket', 404, 'The specified bucket does not exist'));

      // Act
      const error = await rejectionOf(storeImage(s3.client, metered(streamOf(pngBody(100))), target, deadline));

      // Assess
      expect(error).toMatchObject({
        code: 'MISCONFIGURED',
        message: `storing ${KEY}: the bucket named by IMAGE_BUCKET does not exist`,
      });
    });

    it('answers MISCONFIGURED when S3 denies the function access', async () => {
      // Prepare
      s3.fail(PutObjectCommand, s3Error('AccessDenied', 403, 'Access Denied'));

      // Act
      const error = await rejectionOf(storeImage(s3.client, metered(streamOf(pngBody(100))), target, deadline));

      // Assess
      expect(error).toMatchObject({
        code: 'MISCONFIGURED',
        retryable: false,
        message: expect.stringContaining("check IMAGE_BUCKET and the function's role"),
      });
    });

    it("throws the body's error and calls S3 not at all when the body breaks early", async () => {
      // Prepare
      const body = metered(breakingStream([pngBody(1000)], new TypeError('terminated')));

      // Act
      const error = await rejectionOf(storeImage(s3.client, body, target, deadline));

      // Assess
      expect(error).toMatchObject({ name: 'ImageBodyError', problem: 'broken', bytesRead: 1000 });
      expect(s3.sent()).toEqual([]);
    });
  });

  describe('an image over PART_BYTES whose length Feishu announced', () => {
    const SIZE = PART_BYTES * 3 + 4321;

    it("streams it in one PutObject with its ContentLength, then records its sha256 as the object's tag", async () => {
      // Prepare
      const chunks = chunked(SIZE, 64 * 1024);
      const bytes = Buffer.concat(chunks);

      // Act
      const stored = await storeImage(s3.client, metered(streamOf(...chunks), SIZE, SIZE), target, deadline);

      // Assess
      expect(s3.sent()).toEqual(['PutObject', 'PutObjectTagging']);
      expect(s3.mock).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: BUCKET,
        Key: KEY,
        ContentType: 'image/png',
        ContentLength: SIZE,
        Metadata: METADATA,
      });
      expect(s3.mock).toHaveReceivedCommandWith(PutObjectTaggingCommand, {
        Bucket: BUCKET,
        Key: KEY,
        Tagging: { TagSet: [{ Key: 'sha256', Value: sha256(bytes) }] },
      });
      expect(s3.objects.get(`${BUCKET}/${KEY}`)?.body.equals(bytes)).toBe(true);
      expect(stored).toMatchObject({ size: SIZE, sha256: sha256(bytes) });
    });

    it("sends both calls with the invocation's abort signal (the PUT's also ends when the body fails)", async () => {
      // Act
      await storeImage(s3.client, metered(streamOf(...chunked(SIZE, 256 * 1024)), SIZE, SIZE), target, deadline);

      // Assess
      const [put, tag] = s3.abortSignals();
      expect(tag).toBe(deadline.signal);
      expect(put?.aborted).toBe(false);
    });

    it("throws the body's error when the body breaks mid-way, and S3 keeps nothing and no tag is written", async () => {
      // Prepare
      const body = metered(
        breakingStream(chunked(PART_BYTES * 2, 128 * 1024), new TypeError('terminated')),
        SIZE,
        SIZE,
      );

      // Act
      const error = await rejectionOf(storeImage(s3.client, body, target, deadline));

      // Assess
      expect(error).toMatchObject({ name: 'ImageBodyError', problem: 'broken', bytesRead: PART_BYTES * 2 });
      expect(s3.objects.size).toBe(0);
      expect(s3.mock).not.toHaveReceivedCommand(PutObjectTaggingCommand);
    });

    it("throws the body's error when Feishu sends fewer bytes than it announced, and S3 keeps nothing", async () => {
      // Prepare
      const body = metered(streamOf(...chunked(PART_BYTES * 2, 128 * 1024)), SIZE, SIZE);

      // Act
      const error = await rejectionOf(storeImage(s3.client, body, target, deadline));

      // Assess
      expect(error).toMatchObject({
        name: 'ImageBodyError',
        problem: 'short',
        bytesRead: PART_BYTES * 2,
        expectedLength: SIZE,
      });
      expect(s3.objects.size).toBe(0);
    });

    it('answers STORAGE_ERROR when recording the sha256 fails', async () => {
      // Prepare
      s3.fail(PutObjectTaggingCommand, s3Error('InternalError', 500));

      // Act
      const error = await rejectionOf(
        storeImage(s3.client, metered(streamOf(...chunked(SIZE, 256 * 1024)), SIZE, SIZE), target, deadline),
      );

      // Assess
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: true });
    });
  });

  describe('an image over PART_BYTES of unknown length', () => {
    const SIZE = PART_BYTES + 300 * 1024;

    it("streams it as a multipart upload, then records its sha256 as the object's tag", async () => {
      // Prepare
      const chunks = chunked(SIZE, 64 * 1024);
      const bytes = Buffer.concat(chunks);

      // Act
      const stored = await storeImage(s3.client, metered(streamOf(...chunks)), target, deadline);

      // Assess
      expect(s3.mock).not.toHaveReceivedCommand(PutObjectCommand);
      expect(s3.mock).toHaveReceivedCommandWith(CreateMultipartUploadCommand, {
        Bucket: BUCKET,
        Key: KEY,
        ContentType: 'image/png',
        Metadata: METADATA,
      });
      const parts = s3.inputsOf(UploadPartCommand).sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
      expect(parts.map((part) => [part.Bucket, part.Key, part.UploadId, part.PartNumber])).toEqual(
        [1, 2].map((n) => [BUCKET, KEY, expect.stringMatching(/^VXBsb2Fk/), n]),
      );
      expect(Buffer.concat(parts.map((part) => Buffer.from(part.Body as Uint8Array))).equals(bytes)).toBe(true);
      expect(s3.mock).toHaveReceivedCommandWith(CompleteMultipartUploadCommand, {
        Bucket: BUCKET,
        Key: KEY,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: '"etag-1"' },
            { PartNumber: 2, ETag: '"etag-2"' },
          ],
        },
      });
      expect(s3.mock).toHaveReceivedCommandWith(PutObjectTaggingCommand, {
        Tagging: { TagSet: [{ Key: 'sha256', Value: sha256(bytes) }] },
      });
      expect(s3.objects.get(`${BUCKET}/${KEY}`)?.body.equals(bytes)).toBe(true);
      expect(stored).toMatchObject({ size: SIZE, sha256: sha256(bytes) });
    });

    it('declares CRC32 on the upload when the SDK computes checksums (its default on AWS)', async () => {
      // Prepare: the SDK's default is WHEN_SUPPORTED; the local servers' tests set WHEN_REQUIRED.
      const fresh = new FakeS3({ requestChecksumCalculation: 'WHEN_SUPPORTED' });
      const required = new FakeS3({ requestChecksumCalculation: 'WHEN_REQUIRED' });

      // Act
      await storeImage(fresh.client, metered(streamOf(...chunked(SIZE, 256 * 1024))), target, deadline);
      await storeImage(required.client, metered(streamOf(...chunked(SIZE, 256 * 1024))), target, deadline);

      // Assess
      expect(fresh.inputsOf(CreateMultipartUploadCommand)[0]).toMatchObject({ ChecksumAlgorithm: 'CRC32' });
      expect(required.inputsOf(CreateMultipartUploadCommand)[0]?.ChecksumAlgorithm).toBeUndefined();
    });

    it("sends every call of the upload with the invocation's abort signal", async () => {
      // Act
      await storeImage(s3.client, metered(streamOf(...chunked(SIZE, 256 * 1024))), target, deadline);

      // Assess
      expect(s3.sent()).toEqual([
        'CreateMultipartUpload',
        'UploadPart',
        'UploadPart',
        'CompleteMultipartUpload',
        'PutObjectTagging',
      ]);
      expect(s3.abortSignals().every((signal) => signal === deadline.signal)).toBe(true);
    });

    it(
      `runs at most ${MULTIPART_UPLOADS_AT_ONCE} multipart uploads at once in a container, ` +
        'the others waiting their turn',
      async () => {
        // Prepare
        let open = 0;
        let most = 0;
        s3.before(CreateMultipartUploadCommand, async () => {
          open += 1;
          most = Math.max(most, open);
        });
        s3.before(CompleteMultipartUploadCommand, async () => {
          await sleep(10);
          open -= 1;
        });

        // Act
        const stores = [1, 2, 3, 4, 5].map((n) =>
          storeImage(
            s3.client,
            metered(streamOf(...chunked(SIZE, 512 * 1024))),
            { ...target, key: `${KEY}-${n}` },
            deadline,
          ),
        );
        await Promise.all(stores);

        // Assess
        expect(most).toBe(MULTIPART_UPLOADS_AT_ONCE);
        expect(s3.mock).toHaveReceivedCommandTimes(CompleteMultipartUploadCommand, 5);
      },
    );

    it('tags only after the upload is complete, once', async () => {
      // Act
      await storeImage(s3.client, metered(streamOf(...chunked(SIZE, 256 * 1024))), target, deadline);

      // Assess
      const order = s3.sent();
      expect(order.indexOf('PutObjectTagging')).toBeGreaterThan(order.indexOf('CompleteMultipartUpload'));
      expect(s3.mock).toHaveReceivedCommandTimes(PutObjectTaggingCommand, 1);
    });

    it(
      // biome-ignore lint/style/useTemplate: as one template, the name would sit on the it( line, past 120 characters
      `keeps at most ${PARTS_IN_FLIGHT} parts in flight, ` + 'reading the next part while earlier ones upload',
      async () => {
        // Prepare
        const size = PART_BYTES * 9 + 1234;
        let inFlight = 0;
        let most = 0;
        s3.before(UploadPartCommand, async () => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await sleep(5);
          inFlight -= 1;
        });

        // Act
        const stored = await storeImage(s3.client, metered(streamOf(...chunked(size, 512 * 1024))), target, deadline);

        // Assess
        expect(stored.size).toBe(size);
        expect(most).toBe(PARTS_IN_FLIGHT);
        expect(s3.mock).toHaveReceivedCommandTimes(UploadPartCommand, 10);
      },
    );

    it(
      "throws the body's error, not S3's, when the body breaks mid-way, " +
        'and aborts the upload without completing it',
      async () => {
        // Prepare
        const body = metered(
          breakingStream(chunked(PART_BYTES * 2 + 512 * 1024, 128 * 1024), new TypeError('terminated')),
        );

        // Act
        const error = await rejectionOf(storeImage(s3.client, body, target, deadline));

        // Assess
        expect(error).toMatchObject({
          name: 'ImageBodyError',
          problem: 'broken',
          bytesRead: PART_BYTES * 2 + 512 * 1024,
        });
        expect(s3.mock).not.toHaveReceivedCommand(CompleteMultipartUploadCommand);
        expect(s3.mock).not.toHaveReceivedCommand(PutObjectTaggingCommand);
        expect(s3.mock).toHaveReceivedCommandTimes(AbortMultipartUploadCommand, 1);
        expect(s3.mock).toHaveReceivedCommandWith(AbortMultipartUploadCommand, {
          Bucket: BUCKET,
          Key: KEY,
          UploadId: expect.stringMatching(/^VXBsb2Fk/),
        });
        expect(s3.openUploads).toBe(0);
      },
    );

    it(
      'aborts with a signal of its own that outlasts the deadline, ' + 'so an upload cut off by time is still aborted',
      async () => {
        // Prepare
        s3.fail(UploadPartCommand, Object.assign(new Error('Request aborted'), { name: 'AbortError' }));

        // Act
        await rejectionOf(storeImage(s3.client, metered(streamOf(...chunked(SIZE, 256 * 1024))), target, deadline));

        // Assess
        const abortSignal = s3.abortSignals()[s3.sent().indexOf('AbortMultipartUpload')];
        expect(abortSignal).toBeDefined();
        expect(abortSignal).not.toBe(deadline.signal);
      },
    );

    it('calls S3 not at all when the body breaks before its second part is whole', async () => {
      // Prepare
      const body = metered(breakingStream(chunked(PART_BYTES + 512 * 1024, 128 * 1024), new TypeError('terminated')));

      // Act
      const error = await rejectionOf(storeImage(s3.client, body, target, deadline));

      // Assess
      expect(error).toMatchObject({ name: 'ImageBodyError', problem: 'broken' });
      expect(s3.sent()).toEqual([]);
    });

    it("throws the body's too-large error, aborting the upload, when the body passes the limit mid-way", async () => {
      // Prepare
      const body = metered(streamOf(...chunked(PART_BYTES * 3, 128 * 1024)), PART_BYTES * 2 + 300 * 1024);

      // Act
      const error = await rejectionOf(storeImage(s3.client, body, target, deadline));

      // Assess
      expect(error).toMatchObject({ name: 'ImageBodyError', problem: 'tooLarge' });
      expect(s3.mock).not.toHaveReceivedCommand(CompleteMultipartUploadCommand);
      expect(s3.mock).toHaveReceivedCommandTimes(AbortMultipartUploadCommand, 1);
    });

    it('answers STORAGE_ERROR and aborts the upload when S3 fails a part', async () => {
      // Prepare
      s3.fail(UploadPartCommand, s3Error('InternalError', 500));

      // Act
      const error = await rejectionOf(
        storeImage(s3.client, metered(streamOf(...chunked(SIZE, 256 * 1024))), target, deadline),
      );

      // Assess
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', message: `storing ${KEY}: S3 failed (InternalError)` });
      expect(s3.mock).toHaveReceivedCommandTimes(AbortMultipartUploadCommand, 1);
      expect(s3.mock).not.toHaveReceivedCommand(CompleteMultipartUploadCommand);
    });

    it('aborts only after every part in flight has settled, so no part lands after the abort', async () => {
      // Prepare
      const events: string[] = [];
      s3.before(UploadPartCommand, async ({ PartNumber }) => {
        await sleep(PartNumber === 1 ? 1 : 20);
        events.push(`part ${PartNumber} settled`);
        if (PartNumber === 1) throw s3Error('InternalError', 500);
      });
      s3.before(AbortMultipartUploadCommand, async () => {
        events.push('abort');
      });

      // Act
      await rejectionOf(
        storeImage(s3.client, metered(streamOf(...chunked(PART_BYTES * 4, 512 * 1024))), target, deadline),
      );

      // Assess
      expect(events.at(-1)).toBe('abort');
      expect(events.filter((event) => event.endsWith('settled')).length).toBeGreaterThanOrEqual(2);
    });

    it('answers STORAGE_ERROR when recording the sha256 of a multipart upload fails', async () => {
      // Prepare
      s3.fail(PutObjectTaggingCommand, s3Error('InternalError', 500));

      // Act
      const error = await rejectionOf(
        storeImage(s3.client, metered(streamOf(...chunked(SIZE, 256 * 1024))), target, deadline),
      );

      // Assess
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: true });
    });
  });
});
