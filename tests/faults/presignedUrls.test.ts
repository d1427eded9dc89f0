import { handler as imImage } from '../../functions/imImage';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { lambdaContext } from '../support/lambdaContext';
import { useRgwEnvironment } from '../support/rgwEnvironment';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The URL with one query parameter set to another value. */
function withParameter(url: string, name: string, value: string): string {
  const changed = new URL(url);
  changed.searchParams.set(name, value);
  return changed.toString();
}

describe('Presigned URLs on Ceph RGW, which verifies SigV4 signatures', () => {
  const env = useRgwEnvironment('presign');
  let answer: MirrorAnswer;
  let other: MirrorAnswer;
  beforeAll(async () => {
    answer = (await imImage({ imageKey: 'img_rgw_signed' }, lambdaContext())) as MirrorAnswer;
    other = (await imImage({ imageKey: 'img_rgw_other' }, lambdaContext())) as MirrorAnswer;
  });

  it('serves the stored bytes with the signed Content-Type and Content-Disposition', async () => {
    // Act
    const response = await fetch(answer.url);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(answer.contentType);
    expect(response.headers.get('content-disposition')).toBe('inline; filename="img_rgw_signed.png"');
    expect(Buffer.from(await response.arrayBuffer()).equals((await env.object(answer.key)).bytes)).toBe(true);
  });

  it('works until it expires, then gets 403', async () => {
    // Prepare
    const short = (await imImage({ imageKey: 'img_rgw_signed', expiresIn: 2 }, lambdaContext())) as MirrorAnswer;
    const before = await fetch(short.url);
    await before.arrayBuffer();

    // Act
    await sleep(new Date(short.expiresAt).getTime() - Date.now() + 1500);
    const after = await fetch(short.url);

    // Assess
    expect(before.status).toBe(200);
    expect(after.status).toBe(403);
    expect(await after.text()).toContain('AccessDenied');
  });

  it.each([
    ['its key (to another stored image)', (url: string) => url.replace('img_rgw_signed', 'img_rgw_other')],
    [
      'its signature',
      (url: string) =>
        withParameter(url, 'X-Amz-Signature', flipLastHexDigit(new URL(url).searchParams.get('X-Amz-Signature') ?? '')),
    ],
    ['its response Content-Type', (url: string) => withParameter(url, 'response-content-type', 'text/html')],
    [
      'its response Content-Disposition',
      (url: string) => withParameter(url, 'response-content-disposition', 'attachment; filename="x.html"'),
    ],
    ['its lifetime', (url: string) => withParameter(url, 'X-Amz-Expires', '604800')],
  ])('gets 403 when %s is changed', async (_, change) => {
    // Prepare
    const tampered = change(answer.url);
    expect(tampered).not.toBe(answer.url);
    expect(other.key).toBe('feishu/im/img_rgw_other');

    // Act
    const response = await fetch(tampered);

    // Assess
    expect(response.status).toBe(403);
    await response.arrayBuffer();
  });
});

function flipLastHexDigit(signature: string): string {
  const last = signature.at(-1) ?? '0';
  return signature.slice(0, -1) + (last === '0' ? '1' : '0');
}
