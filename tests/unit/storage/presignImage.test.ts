import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { presignImage, type PresignOptions } from '../../../lib/storage/presignImage';
import { rejectionOf } from '../helpers/thrownBy';

const BUCKET = 'feishu-image-mirror-dev-images';
const KEY = 'feishu/whiteboard/Vd7LwaTCKhv1bxbxNXAcSWlInFg';

const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
const s3 = mockClient(S3Client);

function options(overrides: Partial<PresignOptions> = {}): PresignOptions {
  return { bucket: BUCKET, key: KEY, contentType: 'image/png', filename: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg', download: false, expiresInSeconds: 600, ...overrides };
}

describe('Function: presignImage', () => {
  beforeEach(() => {
    s3.reset();
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
    expect(s3.calls()).toHaveLength(0);
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
    const local = new S3Client({
      region: 'us-east-1', endpoint: 'http://127.0.0.1:4569', forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });

    // Act
    const url = new URL(await presignImage(local, options()));

    // Assess
    expect(url.origin).toBe('http://127.0.0.1:4569');
    expect(url.pathname).toBe(`/${BUCKET}/${KEY}`);
  });

  it('answers a product error naming the key, not the SDK\'s own, when the URL cannot be signed', async () => {
    // Prepare
    const broken = new S3Client({
      region: 'us-east-1',
      credentials: () => Promise.reject(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })),
    });

    // Act
    const error = await rejectionOf(presignImage(broken, options()));

    // Assess
    expect(['STORAGE_ERROR', 'MISCONFIGURED']).toContain(error.code);
    expect(error.message).toContain(`signing a URL for ${KEY}`);
    expect(error.message).toContain('CredentialsProviderError');
  });
});
