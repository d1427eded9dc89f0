import { createHash } from 'node:crypto';
import { S3Api } from '../../../lib/storage/S3Api';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { rejectionOf } from '../helpers/thrownBy';

const BUCKET = 'feishu-image-mirror-dev-images';
const KEY = 'feishu/helpdesk-faq/6947428293384273921/img_v2_041b';
const saved = { ...process.env };

describe('Class: S3Api', () => {
  let server: ScriptedServer;
  const client = new S3Api(true);

  beforeAll(async () => {
    server = await startScriptedServer();
  });
  beforeEach(() => {
    process.env = { ...saved, AWS_ENDPOINT_URL_S3: server.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
    server.received.length = 0;
  });
  afterAll(async () => {
    process.env = saved;
    await server.close();
  });

  it('sends HEAD to the path-style key and reads type, length and user metadata', async () => {
    // Prepare
    server.answer({ status: 200, headers: { 'content-type': 'image/png', 'content-length': '48213', 'x-amz-meta-sha256': 'ab12', 'x-amz-meta-fetched-at': '2026-11-21T08:15:42.123Z' } });

    // Act
    const head = await client.headObject(BUCKET, KEY);

    // Assess
    expect(head).toEqual({ contentType: 'image/png', contentLength: 48213, metadata: { sha256: 'ab12', 'fetched-at': '2026-11-21T08:15:42.123Z' } });
    expect(server.received[0]).toMatchObject({ method: 'HEAD', url: `/${BUCKET}/${KEY}` });
    expect(server.received[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
  });

  it('answers undefined for a HEAD that finds nothing (404 without a body)', async () => {
    // Prepare
    server.answer({ status: 404 });

    // Act
    const head = await client.headObject(BUCKET, KEY);

    // Assess
    expect(head).toBeUndefined();
  });

  it('names a bare 403 on HEAD AccessDenied', async () => {
    // Prepare
    server.answer({ status: 403 });

    // Act
    const error = await rejectionOf(client.headObject(BUCKET, KEY));

    // Assess
    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('sends a PUT with its body, type, metadata and the payload hash it was given', async () => {
    // Prepare
    server.answer({ status: 200, headers: { etag: '"d41d8cd98f00b204e9800998ecf8427e"' } });
    const body = Buffer.from('\x89PNG\r\n\x1a\n');

    // Act
    await client.putObject(BUCKET, KEY, body, { contentType: 'image/png', metadata: { sha256: 'c0ffee', 'fetched-at': '2026-11-21T08:15:42.123Z' } }, 'c0ffee');

    // Assess
    const put = server.received[0]!;
    expect(put.method).toBe('PUT');
    expect(put.body.equals(body)).toBe(true);
    expect(put.headers).toMatchObject({ 'content-type': 'image/png', 'content-length': String(body.length), 'x-amz-meta-sha256': 'c0ffee', 'x-amz-content-sha256': 'c0ffee' });
    expect(put.headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-fetched-at;x-amz-meta-sha256,');
  });

  it('reads the upload id of a new multipart upload, XML entities decoded', async () => {
    // Prepare
    server.answer({ status: 200, body: `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>${KEY}</Key><UploadId>2~a&amp;b_XYZ</UploadId></InitiateMultipartUploadResult>` });

    // Act
    const uploadId = await client.createMultipartUpload(BUCKET, KEY, { contentType: 'image/png', metadata: {} });

    // Assess
    expect(uploadId).toBe('2~a&b_XYZ');
    expect(server.received[0]).toMatchObject({ method: 'POST', url: `/${BUCKET}/${KEY}?uploads=` });
  });

  it('uploads a part unsigned and answers its ETag', async () => {
    // Prepare
    server.answer({ status: 200, headers: { etag: '"b54357faf0632cce46e942fa68356b38"' } });

    // Act
    const part = await client.uploadPart(BUCKET, KEY, '2~abc', 7, Buffer.alloc(1024, 1));

    // Assess
    expect(part).toEqual({ partNumber: 7, etag: '"b54357faf0632cce46e942fa68356b38"' });
    expect(server.received[0]).toMatchObject({ method: 'PUT', url: `/${BUCKET}/${KEY}?partNumber=7&uploadId=2%7Eabc` });
    expect(server.received[0]!.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
  });

  it('completes an upload listing its parts in order', async () => {
    // Prepare
    server.answer({ status: 200, body: '<CompleteMultipartUploadResult><ETag>"3858f62230ac3c915f300c664312c11f-2"</ETag></CompleteMultipartUploadResult>' });

    // Act
    await client.completeMultipartUpload(BUCKET, KEY, '2~abc', [{ partNumber: 2, etag: '"e2"' }, { partNumber: 1, etag: '"e1"' }]);

    // Assess
    expect(server.received[0]!.body.toString()).toBe('<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"e1"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>"e2"</ETag></Part></CompleteMultipartUpload>');
  });

  it('rejects a completion that S3 answers 200 with an <Error> body', async () => {
    // Prepare
    server.answer({ status: 200, body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidPart</Code><Message>One or more of the specified parts could not be found.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>' });

    // Act
    const error = await rejectionOf(client.completeMultipartUpload(BUCKET, KEY, '2~abc', [{ partNumber: 1, etag: '"e1"' }]));

    // Assess
    expect(error).toMatchObject({ name: 'InvalidPart', message: 'One or more of the specified parts could not be found.' });
  });

  it('tags an object with a Content-MD5, as S3 requires, and reads the tags back', async () => {
    // Prepare
    server.answer({ status: 200 }, { status: 200, body: '<Tagging><TagSet><Tag><Key>sha256</Key><Value>c0ffee</Value></Tag><Tag><Key>team</Key><Value>a&amp;b</Value></Tag></TagSet></Tagging>' });

    // Act
    await client.putObjectTagging(BUCKET, KEY, { sha256: 'c0ffee' });
    const tags = await client.getObjectTagging(BUCKET, KEY);

    // Assess
    const put = server.received[0]!;
    expect(put).toMatchObject({ method: 'PUT', url: `/${BUCKET}/${KEY}?tagging=` });
    expect(put.body.toString()).toBe('<Tagging><TagSet><Tag><Key>sha256</Key><Value>c0ffee</Value></Tag></TagSet></Tagging>');
    expect(put.headers['content-md5']).toBe(createHash('md5').update(put.body).digest('base64'));
    expect(tags).toEqual({ sha256: 'c0ffee', team: 'a&b' });
  });

  it('streams a body of announced length in one PUT, sent once', async () => {
    // Prepare
    server.answer({ status: 200 });
    async function* chunks() {
      yield Buffer.from('\x89PNG', 'latin1');
      yield Buffer.from('rest of it');
    }

    // Act
    await client.putObjectStream(BUCKET, KEY, chunks(), 14, { contentType: 'image/png', metadata: { 'fetched-at': '2026-11-21T08:15:42.123Z' } });

    // Assess
    expect(server.received[0]!.body.toString('latin1')).toBe('\x89PNGrest of it');
    expect(server.received[0]!.headers).toMatchObject({ 'content-length': '14', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
  });

  it('destroys a streamed PUT whose body fails, rejecting with the body\'s error and never retrying', async () => {
    // Prepare
    server.answer({ status: 500, body: '<Error><Code>InternalError</Code></Error>' });
    const broken = new Error('the connection to Feishu broke');
    async function* chunks() {
      yield Buffer.alloc(1024);
      throw broken;
    }

    // Act
    const error = await rejectionOf(client.putObjectStream(BUCKET, KEY, chunks(), 4096, { contentType: 'image/png', metadata: {} }));

    // Assess
    expect(error).toBe(broken);
    expect(server.received).toHaveLength(0);
  });

  it('retries SlowDown and succeeds on the next attempt', async () => {
    // Prepare
    server.answer({ status: 503, body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' }, { status: 200 });

    // Act
    await client.abortMultipartUpload(BUCKET, KEY, '2~abc');

    // Assess
    expect(server.received.map((request) => request.method)).toEqual(['DELETE', 'DELETE']);
  });

  it('gives up after three attempts of a lasting 500, naming S3\'s code', async () => {
    // Prepare
    server.answer({ status: 500, body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' });

    // Act
    const error = await rejectionOf(client.putObject(BUCKET, KEY, Buffer.from('x'), { contentType: 'image/png', metadata: {} }));

    // Assess
    expect(error).toMatchObject({ name: 'InternalError', status: 500 });
    expect(server.received).toHaveLength(3);
  });

  it('does not retry an error that will not change, such as NoSuchBucket', async () => {
    // Prepare
    server.answer({ status: 404, body: '<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>' });

    // Act
    const error = await rejectionOf(client.putObject(BUCKET, KEY, Buffer.from('x'), { contentType: 'image/png', metadata: {} }));

    // Assess
    expect(error.name).toBe('NoSuchBucket');
    expect(server.received).toHaveLength(1);
  });

  it('refuses to read an object larger than asked for', async () => {
    // Prepare
    server.answer({ status: 200, body: 'x'.repeat(2048) });

    // Act
    const error = await rejectionOf(client.getObject(BUCKET, 'requests/im/export.jsonl', 1024));

    // Assess
    expect(error).toMatchObject({ name: 'TooLarge' });
  });

  it('reports a refused connection by its code after its attempts', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:9';

    // Act
    const head = client.headObject(BUCKET, KEY);

    // Assess: Node's network errors come from outside jest's realm, so match their shape.
    await expect(head).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
