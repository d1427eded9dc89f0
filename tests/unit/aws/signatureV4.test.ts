import { presignUrl, sha256Hex, signRequest, UNSIGNED_PAYLOAD, EMPTY_PAYLOAD_HASH, type SigningScope } from '../../../lib/aws/signatureV4';
import { smithySigner } from '../../support/smithySigner';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const NOW = new Date('2026-11-21T08:15:42Z');

// As @aws-sdk/s3-request-presigner asks: the payload unsigned, and that header neither signed nor in the query.
const PRESIGN_AS_S3_DOES = (expiresIn: number) => ({
  signingDate: NOW, expiresIn, unsignableHeaders: new Set(['x-amz-content-sha256']), unhoistableHeaders: new Set(['x-amz-content-sha256']),
});

function scope(overrides: Partial<SigningScope> = {}): SigningScope {
  return { service: 's3', region: 'us-east-1', credentials: CREDENTIALS, now: NOW, ...overrides };
}

describe('Function: presignUrl', () => {
  it('matches the example of the S3 documentation, signature and all', () => {
    // Prepare: "Authenticating Requests: Using Query Parameters", GET /test.txt, 24 hours.
    const url = new URL('https://examplebucket.s3.amazonaws.com/test.txt');

    // Act
    const signed = new URL(presignUrl('GET', url, scope({ now: new Date('2013-05-24T00:00:00Z') }), 86400));

    // Assess
    expect(signed.searchParams.get('X-Amz-Signature')).toBe('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });

  it.each([
    ['a plain key', 'https://feishu-images.s3.us-east-1.amazonaws.com/feishu/im/img_v3_02ab_8f2d1c0e6b', {}],
    ['response overrides with spaces, quotes and semicolons', 'https://feishu-images.s3.us-east-1.amazonaws.com/feishu/whiteboard/Vd7LwaTCKhv1bxbxNXAcSWlInFg', {
      'response-content-type': 'image/svg+xml', 'response-content-disposition': 'inline; filename="Vd7LwaTCKhv1bxbxNXAcSWlInFg.svg"',
    }],
    ['a path-style URL on a local port', 'http://127.0.0.1:4569/feishu-images/feishu/helpdesk-faq/6947428293384273921/img_v2_041b', {}],
  ])('signs %s exactly as the AWS SDK does', async (_, address, query) => {
    // Prepare
    const url = new URL(address);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);

    // Act
    const ours = new URL(presignUrl('GET', url, scope(), 900));

    // Assess
    const theirs = await smithySigner('s3', 'us-east-1', CREDENTIALS).presign(
      { method: 'GET', protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query: { ...query }, headers: { host: url.host, 'x-amz-content-sha256': UNSIGNED_PAYLOAD } },
      PRESIGN_AS_S3_DOES(900),
    );
    expect(ours.searchParams.get('X-Amz-Signature')).toBe(theirs.query?.['X-Amz-Signature']);
  });

  it('carries and signs the session token of temporary credentials', async () => {
    // Prepare
    const credentials = { ...CREDENTIALS, sessionToken: 'IQoJb3JpZ2luX2VjEBYaCXVzLWVhc3QtMSJHMEUCIQD6example' };
    const url = new URL('https://feishu-images.s3.us-east-1.amazonaws.com/feishu/im/img_v3_01');

    // Act
    const ours = new URL(presignUrl('GET', url, scope({ credentials }), 60));

    // Assess
    const theirs = await smithySigner('s3', 'us-east-1', credentials).presign(
      { method: 'GET', protocol: 'https:', hostname: url.hostname, path: url.pathname, query: {}, headers: { host: url.host, 'x-amz-content-sha256': UNSIGNED_PAYLOAD } },
      PRESIGN_AS_S3_DOES(60),
    );
    expect(ours.searchParams.get('X-Amz-Security-Token')).toBe(credentials.sessionToken);
    expect(ours.searchParams.get('X-Amz-Signature')).toBe(theirs.query?.['X-Amz-Signature']);
  });
});

describe('Function: signRequest', () => {
  it.each([
    ['a HEAD without a body', 'HEAD', 'https://feishu-images.s3.us-east-1.amazonaws.com/feishu/im/img_v3_01', {}, EMPTY_PAYLOAD_HASH],
    ['a PUT with metadata and a signed payload', 'PUT', 'https://feishu-images.s3.us-east-1.amazonaws.com/feishu/im/img_v3_01',
      { 'content-type': 'image/png', 'x-amz-meta-sha256': sha256Hex('png'), 'x-amz-meta-fetched-at': '2026-11-21T08:15:42.123Z' }, sha256Hex('png')],
    ['an UploadPart with an unsigned payload and a query', 'PUT', 'http://127.0.0.1:7480/feishu-images/feishu/im/big?partNumber=3&uploadId=2~abc_DEF-123', {}, UNSIGNED_PAYLOAD],
    ['a CreateMultipartUpload with a valueless query', 'POST', 'https://feishu-images.s3.us-east-1.amazonaws.com/feishu/im/big?uploads=', { 'content-type': 'image/png' }, EMPTY_PAYLOAD_HASH],
  ])('signs %s exactly as the AWS SDK does', async (_, method, address, headers, payloadHash) => {
    // Prepare
    const url = new URL(address);

    // Act
    const ours = signRequest({ method, url, headers, payloadHash }, scope());

    // Assess
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, name) => { query[name] = value; });
    const theirs = await smithySigner('s3', 'us-east-1', CREDENTIALS).sign(
      { method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query,
        headers: { ...headers, host: url.host, 'x-amz-content-sha256': payloadHash } },
      { signingDate: NOW },
    );
    expect(ours.authorization).toBe(theirs.headers.authorization);
    expect(ours['x-amz-date']).toBe('20261121T081542Z');
  });

  it('signs an SSM call with a JSON body exactly as the AWS SDK does', async () => {
    // Prepare
    const body = JSON.stringify({ Name: '/feishu/app-secret', WithDecryption: true });
    const url = new URL('https://ssm.ap-southeast-1.amazonaws.com/');
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter' };

    // Act
    const ours = signRequest({ method: 'POST', url, headers, payloadHash: sha256Hex(body) }, scope({ service: 'ssm', region: 'ap-southeast-1' }));

    // Assess
    const theirs = await smithySigner('ssm', 'ap-southeast-1', CREDENTIALS).sign(
      { method: 'POST', protocol: 'https:', hostname: url.hostname, path: '/', query: {}, body,
        headers: { ...headers, host: url.host, 'x-amz-content-sha256': sha256Hex(body) } },
      { signingDate: NOW },
    );
    expect(ours.authorization).toBe(theirs.headers.authorization);
  });

  it('leaves the host header for the HTTP client to send', () => {
    // Act
    const headers = signRequest({ method: 'HEAD', url: new URL('https://b.s3.us-east-1.amazonaws.com/k'), headers: {}, payloadHash: EMPTY_PAYLOAD_HASH }, scope());

    // Assess
    expect(headers).not.toHaveProperty('host');
    expect(Object.keys(headers).sort()).toEqual(['authorization', 'x-amz-content-sha256', 'x-amz-date']);
  });
});
