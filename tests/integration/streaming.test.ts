import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { handler as imImage } from '../../functions/imImage';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { s3Client } from '../../lib/storage/s3Client';
import { bigBodySha256 } from '../sandbox/feishu';
import { countS3Commands } from '../support/countS3Commands';
import { lambdaContext } from '../support/lambdaContext';
import { startMirrorEnvironment, type MirrorEnvironment } from '../support/mirrorEnvironment';

const SIZE = 96 * 1024 * 1024 + 12_345;

describe('Streaming a large image', () => {
  let env: MirrorEnvironment;
  beforeAll(async () => {
    env = await startMirrorEnvironment();
  });
  afterAll(() => env.close());

  it('streams an image over 64 MiB into S3 in parts, byte for byte, and records its sha256', async () => {
    // Prepare
    const commands = countS3Commands(s3Client(true));

    // Act
    const answer = (await imImage({ imageKey: `big-${SIZE}` }, lambdaContext(120_000))) as MirrorAnswer;

    // Assess
    const stored = await env.client.send(new GetObjectCommand({ Bucket: env.bucket, Key: answer.key }));
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of stored.Body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    expect(answer).toMatchObject({ size: SIZE, sha256: bigBodySha256(SIZE), contentType: 'image/png', cached: false });
    expect(size).toBe(SIZE);
    expect(hash.digest('hex')).toBe(bigBodySha256(SIZE));
    expect(stored.Metadata?.sha256).toBe(bigBodySha256(SIZE));
    expect(commands.filter((name) => name === 'UploadPart').length).toBe(Math.ceil(SIZE / (5 * 1024 * 1024)));
    expect(commands).toContain('CompleteMultipartUpload');
    expect(commands.at(-1)).toBe('CopyObject');
  });

  it('reports the sha256 of the large image when answering from the cache', async () => {
    // Act
    const answer = (await imImage({ imageKey: `big-${SIZE}` }, lambdaContext())) as MirrorAnswer;

    // Assess
    expect(answer).toMatchObject({ cached: true, size: SIZE, sha256: bigBodySha256(SIZE) });
  });

  it('aborts a large transfer that breaks mid-body, leaving no object under the key', async () => {
    // Prepare
    env.reset();
    env.feishu.fault({ endpoint: 'im', kind: { type: 'dropMidBody', afterBytes: 20 * 1024 * 1024 } });
    const commands = countS3Commands(s3Client(true));

    // Act
    const invocation = imImage({ imageKey: 'big-41943040' }, lambdaContext());

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: 'UpstreamError', message: expect.stringContaining('broke after') });
    expect(await env.exists('feishu/im/big-41943040')).toBe(false);
    expect(commands).toContain('CreateMultipartUpload');
    expect(commands).not.toContain('CompleteMultipartUpload');
    expect(commands).toContain('AbortMultipartUpload');
  });
});
