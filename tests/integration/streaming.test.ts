import { createHash } from 'node:crypto';
import { GetObjectCommand, GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import { handler as imImage } from '../../functions/imImage';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { bigBodySha256 } from '../sandbox/feishu';
import { lambdaContext } from '../support/lambdaContext';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

const SIZE = 96 * 1024 * 1024 + 12_345;

describe('Streaming a large image', () => {
  const env = useMirrorEnvironment({ countS3Commands: true });

  async function storedBytes(key: string): Promise<{ size: number; sha256: string; tags: Record<string, string> }> {
    const stored = await env.client.send(new GetObjectCommand({ Bucket: env.bucket, Key: key }));
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of stored.Body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    const tagging = await env.client.send(new GetObjectTaggingCommand({ Bucket: env.bucket, Key: key }));
    return {
      size,
      sha256: hash.digest('hex'),
      tags: Object.fromEntries((tagging.TagSet ?? []).map((tag) => [tag.Key, tag.Value])),
    };
  }

  it(
    'streams an image whose length Feishu announced in one PUT, byte for byte, ' + 'and tags it with its sha256',
    async () => {
      // Act
      const answer = (await imImage({ imageKey: `big-${SIZE}` }, lambdaContext(120_000))) as MirrorAnswer;

      // Assess
      expect(answer).toMatchObject({
        size: SIZE,
        sha256: bigBodySha256(SIZE),
        contentType: 'image/png',
        cached: false,
      });
      expect(await storedBytes(answer.key)).toEqual({
        size: SIZE,
        sha256: bigBodySha256(SIZE),
        tags: { sha256: bigBodySha256(SIZE) },
      });
      expect(env.s3Commands).toEqual(['HeadObject', 'PutObject', 'PutObjectTagging']);
    },
  );

  it('reports the sha256 of the large image, from its tag, when answering from the cache', async () => {
    // Act
    const answer = (await imImage({ imageKey: `big-${SIZE}` }, lambdaContext())) as MirrorAnswer;

    // Assess
    expect(answer).toMatchObject({ cached: true, size: SIZE, sha256: bigBodySha256(SIZE) });
    expect(env.s3Commands).toEqual(['HeadObject', 'GetObjectTagging']);
  });

  it(
    'streams an image of unknown length (chunked) in 5 MiB parts, byte for byte, ' + 'and tags it with its sha256',
    async () => {
      // Prepare
      const size = 40 * 1024 * 1024 + 777;

      // Act
      const answer = (await imImage({ imageKey: `bigchunked-${size}` }, lambdaContext(120_000))) as MirrorAnswer;

      // Assess
      expect(answer).toMatchObject({ size, sha256: bigBodySha256(size), cached: false });
      expect(await storedBytes(answer.key)).toEqual({
        size,
        sha256: bigBodySha256(size),
        tags: { sha256: bigBodySha256(size) },
      });
      expect(env.s3Commands.filter((name) => name === 'UploadPart')).toHaveLength(Math.ceil(size / (5 * 1024 * 1024)));
      expect(env.s3Commands.slice(-2)).toEqual(['CompleteMultipartUpload', 'PutObjectTagging']);
    },
  );

  it('aborts a chunked transfer that breaks mid-body, leaving no object under the key', async () => {
    // Prepare
    env.feishu.fault({ endpoint: 'im', kind: { type: 'dropMidBody', afterBytes: 20 * 1024 * 1024 } });

    // Act
    const invocation = imImage({ imageKey: 'bigchunked-41943040' }, lambdaContext());

    // Assess
    await expect(invocation).rejects.toMatchObject({
      name: 'UpstreamError',
      message: expect.stringContaining('broke after'),
    });
    expect(await env.exists('feishu/im/bigchunked-41943040')).toBe(false);
    expect(env.s3Commands).toContain('CreateMultipartUpload');
    expect(env.s3Commands).not.toContain('CompleteMultipartUpload');
    expect(env.s3Commands).toContain('AbortMultipartUpload');
  });

  // A PUT cut off midway leaves nothing on S3 and on RGW; s3rver writes in place and would keep
  // the part it got, so that proof runs on RGW (tests/faults/).
});
