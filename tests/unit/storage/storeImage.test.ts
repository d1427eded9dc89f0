import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  NoSuchBucket,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { MeteredBody } from '../../../lib/image/MeteredBody';
import { Deadline } from '../../../lib/runtime/Deadline';
import { PART_BYTES, storeImage, type StoreTarget } from '../../../lib/storage/storeImage';
import { pngBody } from '../helpers/images';
import { breakingStream, chunked, streamOf } from '../helpers/streams';
import { rejectionOf } from '../helpers/thrownBy';

const BUCKET = 'feishu-image-mirror-dev-images';
const KEY = 'feishu/helpdesk-faq/6947428293384273921/img_v2_041b28e3-5680-48c2-9af2-497ace79333g';
const FETCHED_AT = '2026-11-21T08:15:42.123Z';
const LOG_ID = '202611210815421A2B3C4D5E6F7A8B9C0D';
const SUBJECT = 'helpdesk FAQ image 6947428293384273921/img_v2_041b28e3-5680-48c2-9af2-497ace79333g';

const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
const s3 = mockClient(S3Client);

const target: StoreTarget = { bucket: BUCKET, key: KEY, contentType: 'image/png', fetchedAt: FETCHED_AT, logId: LOG_ID };

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function metered(stream: ReadableStream<Uint8Array>, maxBytes = 100 * 1024 * 1024): MeteredBody {
  return new MeteredBody(stream, { maxBytes, subject: SUBJECT, deadline: new Deadline(30_000) });
}

function acceptMultipart(): void {
  s3.on(CreateMultipartUploadCommand).resolves({ Bucket: BUCKET, Key: KEY, UploadId: 'VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA' });
  s3.on(UploadPartCommand).callsFake((input: { PartNumber?: number }) => ({ ETag: `"etag-${input.PartNumber}"` }));
  s3.on(CompleteMultipartUploadCommand).resolves({ Bucket: BUCKET, Key: KEY, ETag: '"multipart-etag-2"' });
  s3.on(CopyObjectCommand).resolves({ CopyObjectResult: { ETag: '"copy-etag"' } });
}

function s3Error(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode }, message: name });
}

describe('Function: storeImage', () => {
  beforeEach(() => {
    s3.reset();
  });

  describe('an image of at most PART_BYTES', () => {
    it('stores it with one PUT carrying its Content-Type, length and metadata', async () => {
      // Prepare
      const bytes = pngBody(48_213);
      s3.on(PutObjectCommand).resolves({ ETag: '"d41d8cd98f00b204e9800998ecf8427e"' });

      // Act
      const stored = await storeImage(client, metered(streamOf(bytes.subarray(0, 20_000), bytes.subarray(20_000))), target);

      // Assess
      expect(s3.calls()).toHaveLength(1);
      const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
      expect(input).toMatchObject({
        Bucket: BUCKET,
        Key: KEY,
        ContentType: 'image/png',
        ContentLength: 48_213,
        Metadata: { sha256: sha256(bytes), 'fetched-at': FETCHED_AT, 'feishu-log-id': LOG_ID },
      });
      expect(Buffer.from(input.Body as Uint8Array).equals(bytes)).toBe(true);
      expect(stored).toEqual({ bucket: BUCKET, key: KEY, contentType: 'image/png', size: 48_213, sha256: sha256(bytes), fetchedAt: FETCHED_AT, logId: LOG_ID });
    });

    it('leaves out the feishu-log-id metadata when there is no log id', async () => {
      // Prepare
      s3.on(PutObjectCommand).resolves({});

      // Act
      await storeImage(client, metered(streamOf(pngBody(100))), { ...target, logId: undefined });

      // Assess
      expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Metadata).toEqual({ sha256: sha256(pngBody(100)), 'fetched-at': FETCHED_AT });
    });

    it('stores an image of exactly PART_BYTES with one PUT', async () => {
      // Prepare
      const chunks = chunked(PART_BYTES, 64 * 1024);
      s3.on(PutObjectCommand).resolves({});

      // Act
      const stored = await storeImage(client, metered(streamOf(...chunks)), target);

      // Assess
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
      expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
      expect(stored.size).toBe(PART_BYTES);
    });

    it('answers STORAGE_ERROR when S3 fails the PUT', async () => {
      // Prepare
      s3.on(PutObjectCommand).rejects(s3Error('SlowDown', 503));

      // Act
      const error = await rejectionOf(storeImage(client, metered(streamOf(pngBody(100))), target));

      // Assess
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', name: 'StorageError', retryable: true, message: `storing ${KEY}: S3 failed (SlowDown)` });
    });

    it('answers MISCONFIGURED naming IMAGE_BUCKET when the bucket does not exist', async () => {
      // Prepare
      s3.on(PutObjectCommand).rejects(new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: { httpStatusCode: 404 } }));

      // Act
      const error = await rejectionOf(storeImage(client, metered(streamOf(pngBody(100))), target));

      // Assess
      expect(error).toMatchObject({ code: 'MISCONFIGURED', message: expect.stringContaining('IMAGE_BUCKET') });
    });

    it('throws the body\'s error and calls S3 not at all when the body breaks early', async () => {
      // Prepare
      const body = metered(breakingStream([pngBody(1000)], new TypeError('terminated')));

      // Act
      const error = await rejectionOf(storeImage(client, body, target));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', message: `${SUBJECT}: the connection to Feishu broke after 1000 bytes` });
      expect(s3.calls()).toHaveLength(0);
    });
  });

  describe('an image over PART_BYTES', () => {
    const SIZE = PART_BYTES + 300 * 1024;

    it('streams it as a multipart upload, then records its sha256 by copying it onto itself', async () => {
      // Prepare
      const chunks = chunked(SIZE, 64 * 1024);
      const bytes = Buffer.concat(chunks);
      acceptMultipart();

      // Act
      const stored = await storeImage(client, metered(streamOf(...chunks)), target);

      // Assess
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
      const create = s3.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input;
      expect(create).toMatchObject({ Bucket: BUCKET, Key: KEY, ContentType: 'image/png', Metadata: { 'fetched-at': FETCHED_AT, 'feishu-log-id': LOG_ID } });
      expect(create.Metadata).not.toHaveProperty('sha256');
      const parts = s3.commandCalls(UploadPartCommand).map((call) => call.args[0].input).sort((a, b) => a.PartNumber! - b.PartNumber!);
      expect(parts.map((part) => part.PartNumber)).toEqual([1, 2]);
      expect(Buffer.concat(parts.map((part) => Buffer.from(part.Body as Uint8Array))).equals(bytes)).toBe(true);
      expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input.MultipartUpload).toEqual({
        Parts: [{ PartNumber: 1, ETag: '"etag-1"' }, { PartNumber: 2, ETag: '"etag-2"' }],
      });
      const copy = s3.commandCalls(CopyObjectCommand)[0]!.args[0].input;
      expect(copy).toEqual({
        Bucket: BUCKET,
        Key: KEY,
        CopySource: `${BUCKET}/${KEY}`,
        MetadataDirective: 'REPLACE',
        ContentType: 'image/png',
        Metadata: { sha256: sha256(bytes), 'fetched-at': FETCHED_AT, 'feishu-log-id': LOG_ID },
      });
      expect(stored).toMatchObject({ size: SIZE, sha256: sha256(bytes) });
    });

    it('copies only after the upload is complete', async () => {
      // Prepare
      acceptMultipart();

      // Act
      await storeImage(client, metered(streamOf(...chunked(SIZE, 256 * 1024))), target);

      // Assess
      const order = s3.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name);
      expect(order.indexOf('CopyObjectCommand')).toBeGreaterThan(order.indexOf('CompleteMultipartUploadCommand'));
      expect(order.filter((name) => name === 'CopyObjectCommand')).toHaveLength(1);
    });

    it('throws the body\'s error, not S3\'s, when the body breaks mid-way, and aborts the upload without completing it', async () => {
      // Prepare
      acceptMultipart();
      s3.on(AbortMultipartUploadCommand).resolves({});
      const body = metered(breakingStream(chunked(PART_BYTES + 512 * 1024, 128 * 1024), new TypeError('terminated')));

      // Act
      const error = await rejectionOf(storeImage(client, body, target));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', message: `${SUBJECT}: the connection to Feishu broke after ${PART_BYTES + 512 * 1024} bytes` });
      expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
      expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
      expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    });

    it('answers PAYLOAD_TOO_LARGE, aborting the upload, when the body passes the limit mid-way', async () => {
      // Prepare
      acceptMultipart();
      s3.on(AbortMultipartUploadCommand).resolves({});
      const body = metered(streamOf(...chunked(PART_BYTES * 2, 128 * 1024)), PART_BYTES + 300 * 1024);

      // Act
      const error = await rejectionOf(storeImage(client, body, target));

      // Assess
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
      expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    });

    it('answers STORAGE_ERROR and aborts the upload when S3 fails a part', async () => {
      // Prepare
      acceptMultipart();
      s3.on(UploadPartCommand).rejects(s3Error('InternalError', 500));
      s3.on(AbortMultipartUploadCommand).resolves({});

      // Act
      const error = await rejectionOf(storeImage(client, metered(streamOf(...chunked(SIZE, 256 * 1024))), target));

      // Assess
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', message: `storing ${KEY}: S3 failed (InternalError)` });
      expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
      expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    });

    it('answers STORAGE_ERROR when recording the sha256 fails', async () => {
      // Prepare
      acceptMultipart();
      s3.on(CopyObjectCommand).rejects(s3Error('InternalError', 500));

      // Act
      const error = await rejectionOf(storeImage(client, metered(streamOf(...chunked(SIZE, 256 * 1024))), target));

      // Assess
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: true });
    });
  });
});
