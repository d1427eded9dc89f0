import { createHash } from 'node:crypto';
import { ImageBodyError } from '../../../lib/image/ImageBodyError';
import { MeteredBody } from '../../../lib/image/MeteredBody';
import { breakingStream, cancellableStream, chunked, streamOf } from '../helpers/streams';
import { rejectionOf } from '../helpers/thrownBy';

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readAll(body: MeteredBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body.chunks()) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function options(
  overrides: Partial<ConstructorParameters<typeof MeteredBody>[1]> = {},
): ConstructorParameters<typeof MeteredBody>[1] {
  return { maxBytes: 1024 * 1024, signal: new AbortController().signal, ...overrides };
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

  it('stops as too large as soon as it passes maxBytes, and cancels the stream', async () => {
    // Prepare
    const { stream, cancelled } = cancellableStream(chunked(8192, 512));
    const body = new MeteredBody(stream, options({ maxBytes: 2047 }));

    // Act
    const error = await rejectionOf(readAll(body));

    // Assess
    expect(error).toBeInstanceOf(ImageBodyError);
    expect(error).toMatchObject({ problem: 'tooLarge', maxBytes: 2047, bytesRead: 2048 });
    expect(body.failure).toBe(error);
    expect(cancelled()).toBe(true);
  });

  it('refuses a body one byte over maxBytes', async () => {
    // Prepare
    const body = new MeteredBody(streamOf(...chunked(2049, 512)), options({ maxBytes: 2048 }));

    // Act
    const error = await rejectionOf(readAll(body));

    // Assess
    expect(error).toMatchObject({ problem: 'tooLarge' });
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

  it('stops as short when the body ends before the length its sender announced', async () => {
    // Prepare
    const body = new MeteredBody(streamOf(...chunked(1000, 250)), options({ expectedLength: 4000 }));

    // Act
    const error = await rejectionOf(readAll(body));

    // Assess
    expect(error).toMatchObject({ problem: 'short', bytesRead: 1000, expectedLength: 4000 });
    expect(body.failure).toBe(error);
  });

  it('stops as broken, saying how far it got, when the connection breaks', async () => {
    // Prepare
    const reset = Object.assign(new TypeError('terminated'), {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    const body = new MeteredBody(breakingStream(chunked(3000, 1000), reset), options());

    // Act
    const error = await rejectionOf(readAll(body));

    // Assess
    expect(error).toMatchObject({ problem: 'broken', bytesRead: 3000 });
    expect(error.cause).toBe(reset);
  });

  it("stops as late when the body breaks because the invocation's time ran out", async () => {
    // Prepare
    const signal = AbortSignal.abort();
    const body = new MeteredBody(
      breakingStream([Buffer.from('partial')], new DOMException('This operation was aborted', 'AbortError')),
      options({ signal }),
    );

    // Act
    const error = await rejectionOf(readAll(body));

    // Assess
    expect(error).toMatchObject({ problem: 'late', bytesRead: 7 });
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
