import 'aws-sdk-client-mock-jest';
import type { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { buildS3Client } from '../../../lib/clients/buildS3Client';
import { presignImage, type PresignOptions } from '../../../lib/storage/presignImage';
import { rejectionOf } from '../helpers/thrownBy';

const BUCKET = 'feishu-image-mirror-dev-images';
const KEY = 'feishu/whiteboard/Vd7LwaTCKhv1bxbxNXAcSWlInFg';
const saved = { ...process.env };

// The functions' own client, built after each test's environment is set: the SDK resolves its
// region, credentials and endpoint from there.
let client: S3Client;
let sent: ReturnType<typeof mockClient>;

function options(overrides: Partial<PresignOptions> = {}): PresignOptions {
  return {
    bucket: BUCKET,
    key: KEY,
    contentType: 'image/png',
    filename: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg',
    download: false,
    expiresInSeconds: 600,
    ...overrides,
  };
}

describe('Function: presignImage', () => {
  beforeEach(() => {
    process.env = {
      ...saved,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };
    for (const name of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
      delete process.env[name];
    Object.assign(process.env, {
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_CONFIG_FILE: '/nonexistent/config',
    });
    client = buildS3Client(false);
    sent = mockClient(client);
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
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(sent).not.toHaveReceivedAnyCommand();
  });

  it('makes S3 serve the image with its Content-Type', async () => {
    // Act
    const url = new URL(await presignImage(client, options({ contentType: 'image/svg+xml' })));

    // Assess
    expect(url.searchParams.get('response-content-type')).toBe('image/svg+xml');
  });

  it("serves inline by default, naming the file after the id with the type's extension", async () => {
    // Act
    const url = new URL(await presignImage(client, options({ contentType: 'image/jpeg' })));

    // Assess
    expect(url.searchParams.get('response-content-disposition')).toBe(
      'inline; filename="Vd7LwaTCKhv1bxbxNXAcSWlInFg.jpg"',
    );
  });

  it(
    'serves an SVG as an attachment even when no download is asked for: ' + 'opened inline, its script would run',
    async () => {
      // Act
      const url = new URL(await presignImage(client, options({ download: false, contentType: 'image/svg+xml' })));

      // Assess
      expect(url.searchParams.get('response-content-disposition')).toBe(
        'attachment; filename="Vd7LwaTCKhv1bxbxNXAcSWlInFg.svg"',
      );
    },
  );

  it('serves as an attachment when a download is asked for', async () => {
    // Act
    const url = new URL(await presignImage(client, options({ download: true, contentType: 'image/svg+xml' })));

    // Assess
    expect(url.searchParams.get('response-content-disposition')).toBe(
      'attachment; filename="Vd7LwaTCKhv1bxbxNXAcSWlInFg.svg"',
    );
  });

  it('names a helpdesk FAQ image after its image key, under its two-level key', async () => {
    // Act
    const url = new URL(
      await presignImage(
        client,
        options({
          key: 'feishu/helpdesk-faq/6947428293384273921/img_v2_041b28e3-5680-48c2-9af2-497ace79333g',
          filename: 'img_v2_041b28e3-5680-48c2-9af2-497ace79333g',
        }),
      ),
    );

    // Assess
    expect(url.pathname).toBe('/feishu/helpdesk-faq/6947428293384273921/img_v2_041b28e3-5680-48c2-9af2-497ace79333g');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      'inline; filename="img_v2_041b28e3-5680-48c2-9af2-497ace79333g.png"',
    );
  });

  it.each([1, 900, 604800])('lets the URL live for %i seconds', async (seconds) => {
    // Act
    const url = new URL(await presignImage(client, options({ expiresInSeconds: seconds })));

    // Assess
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(seconds));
  });

  it('signs a path-style URL when the client uses path style (local S3 servers)', async () => {
    // Prepare
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    });
    const local = buildS3Client(true);

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
    const url = new URL(await presignImage(buildS3Client(false), options()));

    // Assess
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('IQoJb3JpZ2luX2VjEBYaCXVzLWVhc3QtMSJHMEUCIQD6example');
  });

  it('signs a virtual-hosted URL in the .cn partition for a China region', async () => {
    // Prepare
    process.env.AWS_REGION = 'cn-northwest-1';

    // Act
    const url = new URL(await presignImage(buildS3Client(false), options()));

    // Assess
    expect(url.hostname).toBe(`${BUCKET}.s3.cn-northwest-1.amazonaws.com.cn`);
    expect(url.searchParams.get('X-Amz-Credential')).toContain('/cn-northwest-1/s3/aws4_request');
  });

  it("signs a FIPS endpoint when AWS_USE_FIPS_ENDPOINT is set, by the SDK's endpoint rules", async () => {
    // Prepare
    process.env.AWS_USE_FIPS_ENDPOINT = 'true';

    // Act
    const url = new URL(await presignImage(buildS3Client(false), options()));

    // Assess
    expect(url.hostname).toBe(`${BUCKET}.s3-fips.us-east-1.amazonaws.com`);
  });

  it("serves a name in any script as RFC 6266's filename*, with an ASCII fallback for old clients", async () => {
    // Act
    const url = new URL(await presignImage(client, options({ filename: '架构图 v2' })));

    // Assess
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `inline; filename="___ v2.png"; filename*=UTF-8''%E6%9E%B6%E6%9E%84%E5%9B%BE%20v2.png`,
    );
  });

  it('serves a Latin-1 name in UTF-8 as filename*, with an unaccented ASCII filename for old clients', async () => {
    // Act
    const url = new URL(await presignImage(client, options({ filename: 'Café résumé' })));

    // Assess
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `inline; filename="Cafe resume.png"; filename*=UTF-8''Caf%C3%A9%20r%C3%A9sum%C3%A9.png`,
    );
  });

  it('serves a name in ASCII as a single filename', async () => {
    // Act
    const url = new URL(await presignImage(client, options({ filename: 'architecture diagram v2' })));

    // Assess
    expect(url.searchParams.get('response-content-disposition')).toBe('inline; filename="architecture diagram v2.png"');
  });

  it('signs a dual-stack endpoint when AWS_USE_DUALSTACK_ENDPOINT is set', async () => {
    // Prepare
    process.env.AWS_USE_DUALSTACK_ENDPOINT = 'true';

    // Act
    const url = new URL(await presignImage(buildS3Client(false), options()));

    // Assess
    expect(url.hostname).toBe(`${BUCKET}.s3.dualstack.us-east-1.amazonaws.com`);
  });

  it('keeps the key exactly as given, with no URL normalisation of its . and .. segments', async () => {
    // Act
    const url = await presignImage(client, options({ key: 'requests/im/../results/./x.json' }));

    // Assess
    expect(url).toContain('/requests/im/../results/./x.json?');
  });

  it('answers MISCONFIGURED naming the credentials when the SDK finds none', async () => {
    // Prepare
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;

    // Act
    const error = await rejectionOf(presignImage(buildS3Client(false), options()));

    // Assess
    expect(error).toMatchObject({
      code: 'MISCONFIGURED',
      message: expect.stringContaining('the AWS SDK found no credentials'),
    });
  });
});
