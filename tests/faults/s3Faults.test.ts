import { handler as imImage } from '../../functions/imImage';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { recordFigures } from '../support/figures';
import { lambdaContext } from '../support/lambdaContext';
import { useRgwEnvironment } from '../support/rgwEnvironment';

const MiB = 1024 * 1024;
/** Images of unknown length (the sandbox's `bigchunked-<N>`, no Content-Length) go to S3 as multipart uploads. */
const LARGE = 40 * MiB;

describe('S3 failing during a store, proven on Ceph RGW itself', () => {
  const env = useRgwEnvironment('s3faults');
  let tried = 0;
  let survived = 0;
  afterAll(() => recordFigures('s3-faults', { tried, survived }));
  beforeEach(() => {
    env.proxy.fault({ type: 'none' });
    env.proxy.operations.length = 0;
    tried += 1;
  });
  // Reached only when every assertion of the test held.
  const survive = () => (survived += 1);

  it.each([
    ['the second part', 2],
    ['the sixth part', 6],
  ])(
    'aborts the multipart upload when S3 refuses %s: STORAGE_ERROR, no object, no upload listed',
    async (_, fromPart) => {
      // Prepare
      const imageKey = `bigchunked-${LARGE + fromPart}`;
      env.proxy.fault({ type: 'refusePart', fromPart });

      // Act
      const invocation = imImage({ imageKey }, lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({
        name: 'StorageError',
        code: 'STORAGE_ERROR',
        status: 503,
        retryable: true,
      });
      expect(env.proxy.operations).toContain('CreateMultipartUpload');
      expect(env.proxy.operations).toContain('AbortMultipartUpload');
      expect(env.proxy.operations).not.toContain('CompleteMultipartUpload');
      expect(await env.exists(`feishu/im/${imageKey}`)).toBe(false);
      expect(await env.uploads()).toEqual([]);
      survive();
    },
  );

  it('leaves the previous good object untouched when a refresh fails mid-upload', async () => {
    // Prepare
    const imageKey = `bigchunked-${LARGE}`;
    const good = (await imImage({ imageKey }, lambdaContext())) as MirrorAnswer;
    const before = await env.object(good.key);
    env.proxy.fault({ type: 'refusePart', fromPart: 3 });

    // Act
    const invocation = imImage({ imageKey, refresh: true }, lambdaContext());

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: 'StorageError' });
    const after = await env.object(good.key);
    expect(after.bytes.equals(before.bytes)).toBe(true);
    expect(after.metadata).toEqual(before.metadata);
    expect(await env.uploads()).toEqual([]);
    survive();
  });

  it('answers STORAGE_ERROR, retryable, when S3 is down, leaving nothing on RGW', async () => {
    // Prepare
    env.proxy.fault({ type: 'down' });

    // Act
    const invocation = imImage({ imageKey: `big-${LARGE + 1}` }, lambdaContext());

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: 'StorageError', status: 503, retryable: true });
    expect(await env.keys()).not.toContain(`feishu/im/big-${LARGE}1`);
    expect(await env.uploads()).toEqual([]);
    expect(env.feishu.count('im')).toBe(0);
    survive();
  });

  it(
    'answers STORAGE_ERROR when S3 goes down mid-upload; ' +
      'the abort cannot reach it, so the bucket lifecycle rule must',
    async () => {
      // Prepare: the HEAD and CreateMultipartUpload pass, then S3 is gone.
      env.proxy.fault({ type: 'refusePart', fromPart: 1 });
      const imageKey = `bigchunked-${LARGE + 7}`;
      const invocation = imImage({ imageKey }, lambdaContext());
      await waitFor(() => env.proxy.operations.includes('UploadPart'));
      env.proxy.fault({ type: 'down' });

      // Act
      const outcome = await invocation.then(
        () => 'stored',
        (error: Error) => error.name,
      );
      env.proxy.fault({ type: 'none' });

      // Assess
      expect(outcome).toBe('StorageError');
      expect(env.proxy.operations).toContain('AbortMultipartUpload');
      expect(await env.exists(`feishu/im/${imageKey}`)).toBe(false);
      // What no client can do: serverless.yml's AbortIncompleteMultipartUploads rule removes it after a day.
      expect(await env.uploads()).toEqual([`feishu/im/${imageKey}`]);
      survive();
    },
  );
});

async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const ends = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > ends) throw new Error(`not met within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
