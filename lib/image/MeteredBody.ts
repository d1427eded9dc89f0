import { createHash } from 'node:crypto';
import { ImageBodyError } from './ImageBodyError';

/** Limits for reading one image body. */
export interface MeteredBodyOptions {
  maxBytes: number;
  /** The length the sender announced, when it did. */
  expectedLength?: number;
  /** The invocation's time: a stream failing once it has aborted was cut off, not broken. */
  signal: AbortSignal;
}

/**
 * An image body read once, as a stream: it counts the bytes and hashes them on the way,
 * stops at the size limit, and turns a broken, short or late body into an ImageBodyError.
 * It keeps its first failure, because whoever consumes it (the S3 upload) may report a
 * different one (an abort) instead.
 */
export class MeteredBody {
  size = 0;
  failure?: ImageBodyError;
  private readonly hash = createHash('sha256');
  private readonly chunksIn: AsyncIterator<Uint8Array>;
  private readonly buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private ended = false;

  /** `stream`: Node's HTTP answer, or any other stream of bytes (a web ReadableStream too). */
  constructor(
    stream: AsyncIterable<Uint8Array>,
    private readonly options: MeteredBodyOptions,
  ) {
    this.chunksIn = stream[Symbol.asyncIterator]();
  }

  /** The first bytes (at least `minBytes` unless the body is shorter), kept for `chunks()`. */
  async head(minBytes: number): Promise<Buffer> {
    while (!this.ended && this.bufferedBytes < minBytes) {
      const chunk = await this.read();
      if (chunk) {
        this.buffered.push(chunk);
        this.bufferedBytes += chunk.length;
      }
    }
    return Buffer.concat(this.buffered);
  }

  /** The whole body, the head included, chunk by chunk; throws ImageBodyErrors. */
  async *chunks(): AsyncGenerator<Buffer> {
    while (this.buffered.length > 0) {
      const chunk = this.buffered.shift()!;
      this.bufferedBytes -= chunk.length;
      yield chunk;
    }
    for (;;) {
      const chunk = await this.read();
      if (!chunk) return;
      yield chunk;
    }
  }

  /** The length the sender announced, when it announced one. */
  get expectedLength(): number | undefined {
    return this.options.expectedLength;
  }

  /** The hex sha256 of everything read; meaningful once the body has ended. */
  get sha256(): string {
    return this.hash.copy().digest('hex');
  }

  /** Releases the connection when the body will not be read to its end. */
  async cancel(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    // An iterator's return closes its stream (and the connection under it).
    await this.chunksIn.return?.().catch(() => undefined);
  }

  private async read(): Promise<Buffer | undefined> {
    const { maxBytes, expectedLength, signal } = this.options;
    let result: IteratorResult<Uint8Array>;
    try {
      result = await this.chunksIn.next();
    } catch (error) {
      this.ended = true;
      throw this.fail(new ImageBodyError(signal.aborted ? 'late' : 'broken', { bytesRead: this.size, cause: error }));
    }
    if (result.done) {
      this.ended = true;
      if (expectedLength !== undefined && this.size !== expectedLength) {
        throw this.fail(new ImageBodyError('short', { bytesRead: this.size, expectedLength }));
      }
      return undefined;
    }
    const chunk = Buffer.from(result.value.buffer, result.value.byteOffset, result.value.byteLength);
    this.size += chunk.length;
    if (this.size > maxBytes) {
      await this.cancel();
      throw this.fail(new ImageBodyError('tooLarge', { bytesRead: this.size, maxBytes }));
    }
    this.hash.update(chunk);
    return chunk;
  }

  private fail(error: ImageBodyError): ImageBodyError {
    this.failure ??= error;
    return error;
  }
}
