import { createHash } from 'node:crypto';
import { MeteredBody } from '../../../lib/image/MeteredBody';
import { Deadline } from '../../../lib/runtime/Deadline';
import { breakingStream, cancellableStream, chunked, streamOf } from '../helpers/streams';
import { rejectionOf } from '../helpers/thrownBy';

const SUBJECT = 'im image img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g';

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readAll(body: MeteredBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body.chunks()) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function options(overrides: Partial<ConstructorParameters<typeof MeteredBody>[1]> = {}): ConstructorParameters<typeof MeteredBody>[1] {
  return { maxBytes: 1024 * 1024, subject: SUBJECT, deadline: new Deadline(10_000), ...overrides };
}

describe('Class: MeteredBody', () => {
  it('yields every byte of the body, counting and hashing them', async () => {
    // Prepare
    const chunks = chunked(10_000, 777);
    const body = new MeteredBody(streamOf(...chunks), options());

    // Act
    const bytes = await readAll(body);

    // Assess
    const expected = Buffer.concat(chunks);
    expect(bytes.equals(expected)).toBe(true);
    expect(body.size).toBe(10_000);
    expect(body.sha256).toBe(sha256(expected));
  });

  it('reads at least the asked head and yields it again from chunks()', async () => {
    // Prepare
    const chunks = chunked(5000, 1000);
    const body = new MeteredBody(streamOf(...chunks), options());

    // Act
    const head = await body.head(1500);
    const all = await readAll(body);

    // Assess
    expect(head.length).toBe(2000);
    expect(head.equals(Buffer.concat(chunks).subarray(0, 2000))).toBe(true);
    expect(all.equals(Buffer.concat(chunks))).toBe(true);
    expect(body.size).toBe(5000);
  });

  it('gives the whole body as head when it is shorter than asked', async () => {
    // Prepare
    const body = new MeteredBody(streamOf(Buffer.from('tiny')), options());

    // Act
    const head = await body.head(4096);

    // Assess
    expect(head.toString()).toBe('tiny');
  });

  it('hashes an empty body as the sha256 of nothing', async () => {
    // Prepare
    const body = new MeteredBody(streamOf(), options());

    // Act
    await readAll(body);

    // Assess
    expect(body.size).toBe(0);
    expect(body.sha256).toBe(sha256(Buffer.alloc(0)));
  });

  it('stops with PAYLOAD_TOO_LARGE as soon as it passes maxBytes, naming MAX_IMAGE_BYTES, and cancels the stream', async () => {
    // Prepare
    const { stream, cancelled } = cancellableStream(chunked(8192, 512));
    const body = new MeteredBody(stream, options({ maxBytes: 2047 }));

    // Act
    const error = await rejectionOf(readAll(body));

    // Assess
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', name: 'PayloadTooLargeError', status: 413 });
    expect(error.message).toBe(`${SUBJECT}: the image is larger than MAX_IMAGE_BYTES (2047 bytes)`);
    expect(body.failure).toBe(error);
    expect(cancelled()).toBe(true);
  });

  it('refuses a body one byte over maxBytes', async () => {
    // Prepare
    const body = new MeteredBody(streamOf(...chunked(2049, 512)), options({ maxBytes: 2048 }));

    // Act
    const error = await rejectionOf(readAll(body));

    // Assess
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts a body of exactly maxBytes', async () => {
    // Prepare
    const body = new MeteredBody(streamOf(...chunked(2048, 512)), options({ maxBytes: 2048 }));

    // Act
    const bytes = await readAll(body);

    // Assess
    expect(bytes.length).toBe(2048);
    expect(body.failure).toBeUndefined();
  });

  it('answers UPSTREAM_ERROR when the body ends short of Feishu\'s Content-Length', async () => {
    // Prepare
    const body = new MeteredBody(streamOf(...chunked(1000, 250)), options({ expectedLength: 4000 }));

    // Act
    const error = await rejectionOf(readAll(body));

    // Assess
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true, message: `${SUBJECT}: Feishu sent 1000 of the 4000 bytes it announced` });
    expect(body.failure).toBe(error);
  });

  it('answers UPSTREAM_ERROR saying how far it got when the connection breaks', async () => {
    // Prepare
    const reset = Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    const body = new MeteredBody(breakingStream(chunked(3000, 1000), reset), options());

    // Act
    const error = await rejectionOf(readAll(body));

    // Assess
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', message: `${SUBJECT}: the connection to Feishu broke after 3000 bytes` });
    expect(error.cause).toBe(reset);
  });

  it('answers UPSTREAM_TIMEOUT when the body breaks because the deadline passed', async () => {
    // Prepare
    const deadline = new Deadline(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const body = new MeteredBody(breakingStream([Buffer.from('partial')], new DOMException('This operation was aborted', 'AbortError')), options({ deadline }));

    // Act
    const error = await rejectionOf(readAll(body));

    // Assess
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', name: 'UpstreamTimeoutError', status: 504 });
  });

  it('keeps its first failure', async () => {
    // Prepare
    const body = new MeteredBody(streamOf(...chunked(4096, 1024)), options({ maxBytes: 1000 }));
    const first = await rejectionOf(readAll(body));

    // Act
    await body.cancel();

    // Assess
    expect(body.failure).toBe(first);
  });

  it('cancels the stream when asked before its end', async () => {
    // Prepare
    const { stream, cancelled } = cancellableStream(chunked(4096, 1024));
    const body = new MeteredBody(stream, options());
    await body.head(1);

    // Act
    await body.cancel();

    // Assess
    expect(cancelled()).toBe(true);
  });
});
