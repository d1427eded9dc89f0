import { createHash } from 'node:crypto';
import { MirrorError } from '../errors/MirrorError';
import type { Deadline } from '../runtime/Deadline';

/** Limits and context for reading one image body. */
export interface MeteredBodyOptions {
  maxBytes: number;
  /** Feishu's Content-Length, when it sent one. */
  expectedLength?: number;
  /** e.g. "im image img_v3_01"; starts every message. */
  subject: string;
  deadline: Deadline;
}

/**
 * An image body read once, as a stream: it counts the bytes and hashes them on the way,
 * stops at the size limit, and turns a broken, short or late body into the product's error.
 * It keeps its first failure, because whoever consumes it (the S3 upload) may report a
 * different one (an abort) instead.
 */
export class MeteredBody {
  size = 0;
  failure?: MirrorError;
  private readonly hash = createHash('sha256');
  private readonly chunksIn: AsyncIterator<Uint8Array>;
  private readonly buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private ended = false;

  /** `stream`: Node's HTTP answer, or any other stream of bytes (a web ReadableStream too). */
  constructor(stream: AsyncIterable<Uint8Array>, private readonly options: MeteredBodyOptions) {
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

  /** The whole body, the head included, chunk by chunk; throws MirrorErrors. */
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

  /** The length Feishu announced, when it announced one. */
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
    const { subject, maxBytes, expectedLength, deadline } = this.options;
    let result: IteratorResult<Uint8Array>;
    try {
      result = await this.chunksIn.next();
    } catch (error) {
      this.ended = true;
      throw this.fail(
        deadline.expired
          ? new MirrorError('UPSTREAM_TIMEOUT', `${subject}: Feishu did not finish sending the image in the time the invocation had left`, { cause: error })
          : new MirrorError('UPSTREAM_ERROR', `${subject}: the connection to Feishu broke after ${this.size} bytes`, { cause: error }),
      );
    }
    if (result.done) {
      this.ended = true;
      if (expectedLength !== undefined && this.size !== expectedLength) {
        throw this.fail(new MirrorError('UPSTREAM_ERROR', `${subject}: Feishu sent ${this.size} of the ${expectedLength} bytes it announced`));
      }
      return undefined;
    }
    const chunk = Buffer.from(result.value.buffer, result.value.byteOffset, result.value.byteLength);
    this.size += chunk.length;
    if (this.size > maxBytes) {
      await this.cancel();
      throw this.fail(new MirrorError('PAYLOAD_TOO_LARGE', `${subject}: the image is larger than MAX_IMAGE_BYTES (${maxBytes} bytes)`));
    }
    this.hash.update(chunk);
    return chunk;
  }

  private fail(error: MirrorError): MirrorError {
    this.failure ??= error;
    return error;
  }
}
