import { GetObjectCommand } from '@aws-sdk/client-s3';
import { handler as imImage } from '../../functions/imImage';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { PART_BYTES } from '../../lib/storage/storeImage';
import { bigBodySha256, expectedBigBody } from '../sandbox/feishu';
import { firstDifference } from '../support/firstDifference';
import { lambdaContext } from '../support/lambdaContext';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

const MiB = 1024 * 1024;

// The same proof runs on Ceph RGW in tests/faults/bytes.test.ts. Both servers get the SDK's
// checksums only where required (S3_COMPATIBLE_CHECKSUMS): with its default, s3rver would keep
// the aws-chunked framing of a streamed PUT as the object, a few dozen bytes longer than the image.
describe('Bytes stored on s3rver equal what Feishu sent', () => {
  const env = useMirrorEnvironment();

  it.each([
    ['a small image in one PUT', 'big', 70_000],
    ['a 12 MiB image of known length, streamed in one PUT', 'big', 12 * MiB],
    ['a 12 MiB image of unknown length, in parts', 'bigchunked', 12 * MiB],
    ['5 MiB + 1 byte of unknown length, in two parts', 'bigchunked', PART_BYTES + 1],
  ])("stores %s byte for byte, with no content encoding of the SDK's left on it", async (_, prefix, size) => {
    // Act
    const answer = (await imImage({ imageKey: `${prefix}-${size}` }, lambdaContext(60_000))) as MirrorAnswer;

    // Assess
    const stored = await env.client.send(new GetObjectCommand({ Bucket: env.bucket, Key: answer.key }));
    expect(stored.ContentLength).toBe(size);
    expect(stored.ContentEncoding).toBeUndefined();
    expect(await firstDifference(stored.Body as AsyncIterable<Uint8Array>, expectedBigBody(size))).toBe(-1);
    expect(answer).toMatchObject({ size, sha256: bigBodySha256(size), cached: false });
  });
});
