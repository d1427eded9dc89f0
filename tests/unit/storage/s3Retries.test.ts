import { buildS3Client, S3_MAX_ATTEMPTS } from '../../../lib/clients/buildS3Client';
import { MeteredBody } from '../../../lib/image/MeteredBody';
import { Deadline } from '../../../lib/runtime/Deadline';
import { writeJsonObject } from '../../../lib/storage/manifestObjects';
import { PART_BYTES, storeImage } from '../../../lib/storage/storeImage';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { chunked, streamOf } from '../helpers/streams';
import { rejectionOf } from '../helpers/thrownBy';

const BUCKET = 'feishu-image-mirror-dev-images';
const KEY = 'results/im/export.json';
const saved = { ...process.env };

function s3Answer(status: number, code: string, message: string) {
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'R7KX3Q9C2B5D8F1A' },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  };
}

// The SDK's own retries, on the wire: the functions' S3 client against a scripted S3 endpoint.
describe("S3 failures through the SDK's standard retries", () => {
  let s3: ScriptedServer;
  beforeAll(async () => {
    s3 = await startScriptedServer();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await s3.close();
  });
  beforeEach(() => {
    s3.received.length = 0;
  });

  it.each([
    [503, 'SlowDown', 'Please reduce your request rate.'],
    [500, 'InternalError', 'We encountered an internal error. Please try again.'],
  ])("answers STORAGE_ERROR after %i %s on each of the SDK's three attempts", async (status, code, message) => {
    // Prepare
    s3.answer(s3Answer(status, code, message));

    // Act
    const error = await rejectionOf(
      writeJsonObject(buildS3Client(true), BUCKET, KEY, { results: [] }, new Deadline(20_000).signal),
    );

    // Assess
    expect(error).toMatchObject({
      code: 'STORAGE_ERROR',
      retryable: true,
      message: `writing the results ${KEY}: S3 failed (${code})`,
    });
    expect(s3.received).toHaveLength(S3_MAX_ATTEMPTS);
  });

  it('succeeds on the retry when S3 recovers after one SlowDown', async () => {
    // Prepare
    s3.answer(s3Answer(503, 'SlowDown', 'Please reduce your request rate.'), { status: 200 });

    // Act
    await writeJsonObject(buildS3Client(true), BUCKET, KEY, { results: [] }, new Deadline(20_000).signal);

    // Assess
    expect(s3.received.map((request) => `${request.method} ${request.url}`)).toEqual([
      `PUT /${BUCKET}/${KEY}?x-id=PutObject`,
      `PUT /${BUCKET}/${KEY}?x-id=PutObject`,
    ]);
  });

  it.each([
    [404, 'NoSuchBucket', 'The specified bucket does not exist', 'the bucket named by IMAGE_BUCKET does not exist'],
    [403, 'AccessDenied', 'Access Denied', 'S3 denied the function access to the bucket named by IMAGE_BUCKET'],
  ])('answers MISCONFIGURED after one attempt when S3 answers %i %s', async (status, code, message, explanation) => {
    // Prepare
    s3.answer(s3Answer(status, code, message));

    // Act
    const error = await rejectionOf(
      writeJsonObject(buildS3Client(true), BUCKET, KEY, { results: [] }, new Deadline(20_000).signal),
    );

    // Assess
    expect(error).toMatchObject({
      code: 'MISCONFIGURED',
      retryable: false,
      message: expect.stringContaining(explanation),
    });
    expect(s3.received).toHaveLength(1);
  });

  it('sends a streamed PUT once: its body cannot be read twice', async () => {
    // Prepare
    const size = PART_BYTES + 4096;
    s3.answer(s3Answer(500, 'InternalError', 'We encountered an internal error. Please try again.'));
    const body = new MeteredBody(streamOf(...chunked(size, 64 * 1024)), {
      maxBytes: size,
      expectedLength: size,
      signal: new Deadline(20_000).signal,
    });
    const target = {
      bucket: BUCKET,
      key: 'feishu/im/img_v3_01',
      contentType: 'image/png',
      fetchedAt: '2026-11-21T08:15:42.123Z',
    };

    // Act
    const error = await rejectionOf(storeImage(buildS3Client(true), body, target, new Deadline(20_000)));

    // Assess
    expect(error).toMatchObject({
      code: 'STORAGE_ERROR',
      message: 'storing feishu/im/img_v3_01: S3 failed (InternalError)',
    });
    expect(s3.received).toHaveLength(1);
    expect(s3.received[0]?.body.length).toBe(size);
  });
});
