import { presignImage, type PresignOptions } from '../../../lib/storage/presignImage';
import { S3Api } from '../../../lib/storage/S3Api';
import { rejectionOf } from '../helpers/thrownBy';

const BUCKET = 'feishu-image-mirror-dev-images';
const KEY = 'feishu/whiteboard/Vd7LwaTCKhv1bxbxNXAcSWlInFg';

const client = new S3Api(false);
const sent: string[] = [];
client.observers.add((operation) => sent.push(operation));
const saved = { ...process.env };

function options(overrides: Partial<PresignOptions> = {}): PresignOptions {
  return { bucket: BUCKET, key: KEY, contentType: 'image/png', filename: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg', download: false, expiresInSeconds: 600, ...overrides };
}

describe('Function: presignImage', () => {
  beforeEach(() => {
    process.env = { ...saved, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
    for (const name of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL', 'AWS_SESSION_TOKEN']) delete process.env[name];
    sent.length = 0;
  });
  afterAll(() => {
    process.env = saved;
  });

  it('signs a GET URL for that bucket and key only, without calling S3', async () => {
    // Act
    const url = new URL(await presignImage(client, options()));

    // Assess
    expect(url.protocol).toBe('https:');
    expect(url.hostname).toBe(`${BUCKET}.s3.us-east-1.amazonaws.com`);
    expect(url.pathname).toBe(`/${KEY}`);
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(sent).toHaveLength(0);
  });

  it('makes S3 serve the image with its Content-Type', async () => {
    // Act
    const url = new URL(await presignImage(client, options({ contentType: 'image/svg+xml' })));

    // Assess
    expect(url.searchParams.get('response-content-type')).toBe('image/svg+xml');
  });

  it('serves inline by default, naming the file after the id with the type\'s extension', async () => {
    // Act
    const url = new URL(await presignImage(client, options({ contentType: 'image/jpeg' })));

    // Assess
    expect(url.searchParams.get('response-content-disposition')).toBe('inline; filename="Vd7LwaTCKhv1bxbxNXAcSWlInFg.jpg"');
  });

  it('serves an SVG as an attachment even when no download is asked for: opened inline, its script would run', async () => {
    // Act
    const url = new URL(await presignImage(client, options({ download: false, contentType: 'image/svg+xml' })));

    // Assess
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="Vd7LwaTCKhv1bxbxNXAcSWlInFg.svg"');
  });

  it('serves as an attachment when a download is asked for', async () => {
    // Act
    const url = new URL(await presignImage(client, options({ download: true, contentType: 'image/svg+xml' })));

    // Assess
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="Vd7LwaTCKhv1bxbxNXAcSWlInFg.svg"');
  });

  it('names a helpdesk FAQ image after its image key, under its two-level key', async () => {
    // Act
    const url = new URL(await presignImage(client, options({
      key: 'feishu/helpdesk-faq/6947428293384273921/img_v2_041b28e3-5680-48c2-9af2-497ace79333g',
      filename: 'img_v2_041b28e3-5680-48c2-9af2-497ace79333g',
    })));

    // Assess
    expect(url.pathname).toBe('/feishu/helpdesk-faq/6947428293384273921/img_v2_041b28e3-5680-48c2-9af2-497ace79333g');
    expect(url.searchParams.get('response-content-disposition')).toBe('inline; filename="img_v2_041b28e3-5680-48c2-9af2-497ace79333g.png"');
  });

  it.each([1, 900, 604800])('lets the URL live for %i seconds', async (seconds) => {
    // Act
    const url = new URL(await presignImage(client, options({ expiresInSeconds: seconds })));

    // Assess
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(seconds));
  });

  it('signs a path-style URL when the client uses path style (local S3 servers)', async () => {
    // Prepare
    Object.assign(process.env, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
    const local = new S3Api(true);

    // Act
    const url = new URL(await presignImage(local, options()));

    // Assess
    expect(url.origin).toBe('http://127.0.0.1:4569');
    expect(url.pathname).toBe(`/${BUCKET}/${KEY}`);
  });

  it('signs with the session token of temporary credentials, as a Lambda role provides them', async () => {
    // Prepare
    process.env.AWS_SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEBYaCXVzLWVhc3QtMSJHMEUCIQD6example';

    // Act
    const url = new URL(await presignImage(client, options()));

    // Assess
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('IQoJb3JpZ2luX2VjEBYaCXVzLWVhc3QtMSJHMEUCIQD6example');
  });

  it('signs a virtual-hosted URL in the .cn partition for a China region', async () => {
    // Prepare
    process.env.AWS_REGION = 'cn-northwest-1';

    // Act
    const url = new URL(await presignImage(client, options()));

    // Assess
    expect(url.hostname).toBe(`${BUCKET}.s3.cn-northwest-1.amazonaws.com.cn`);
    expect(url.searchParams.get('X-Amz-Credential')).toContain('/cn-northwest-1/s3/aws4_request');
  });

  it('answers MISCONFIGURED naming the missing keys when the environment has no credentials', async () => {
    // Prepare
    delete process.env.AWS_SECRET_ACCESS_KEY;

    // Act
    const error = await rejectionOf(presignImage(client, options()));

    // Assess
    expect(error).toMatchObject({ code: 'MISCONFIGURED', message: expect.stringContaining('AWS_SECRET_ACCESS_KEY') });
  });
});
