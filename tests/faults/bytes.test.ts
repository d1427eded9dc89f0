import { GetObjectCommand } from '@aws-sdk/client-s3';
import { handler as imImage } from '../../functions/imImage';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { PART_BYTES } from '../../lib/storage/storeImage';
import { bigBodySha256, expectedBigBody } from '../sandbox/feishu';
import { firstDifference } from '../support/firstDifference';
import { lambdaContext } from '../support/lambdaContext';
import { useRgwEnvironment } from '../support/rgwEnvironment';

const MiB = 1024 * 1024;

describe('Bytes stored on Ceph RGW equal what Feishu sent', () => {
  const env = useRgwEnvironment('bytes', { env: { MAX_IMAGE_BYTES: String(256 * MiB) } });

  it.each([
    ['a small image in one PUT', 'big', 70_000],
    ['5 MiB', 'big', PART_BYTES],
    ['5 MiB + 1 byte', 'big', PART_BYTES + 1],
    ['200 MiB, streamed in one PUT', 'big', 200 * MiB],
    ['5 MiB + 1 byte of unknown length, in two parts', 'bigchunked', PART_BYTES + 1],
    ['200 MiB of unknown length, in parts', 'bigchunked', 200 * MiB],
  ])(
    'stores %s byte for byte, and its presigned URL serves the same bytes',
    async (_, prefix, size) => {
      // Act
      const answer = (await imImage({ imageKey: `${prefix}-${size}` }, lambdaContext(170_000))) as MirrorAnswer;

      // Assess
      const stored = await env.client.send(new GetObjectCommand({ Bucket: env.bucket, Key: answer.key }));
      expect(await firstDifference(stored.Body as AsyncIterable<Uint8Array>, expectedBigBody(size))).toBe(-1);
      expect(stored.ContentLength).toBe(size);
      expect(answer).toMatchObject({ size, sha256: bigBodySha256(size), cached: false });
      // The sha256 recorded with the object (metadata, or a large image's tag) answers the next request.
      expect(await imImage({ imageKey: `${prefix}-${size}` }, lambdaContext())).toMatchObject({
        cached: true,
        sha256: bigBodySha256(size),
      });
      const served = await fetch(answer.url);
      expect(served.status).toBe(200);
      expect(await firstDifference(served.body as unknown as AsyncIterable<Uint8Array>, expectedBigBody(size))).toBe(
        -1,
      );
      expect(await env.uploads()).toEqual([]);
    },
    300_000,
  );
});
