import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  NoSuchKey,
  type GetObjectCommandOutput,
  NotFound,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

/** An object as the fake keeps it. */
export interface FakeObject {
  body: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  tags?: Record<string, string>;
}

type Command =
  | typeof HeadObjectCommand
  | typeof GetObjectCommand
  | typeof PutObjectCommand
  | typeof PutObjectTaggingCommand
  | typeof GetObjectTaggingCommand
  | typeof CreateMultipartUploadCommand
  | typeof UploadPartCommand
  | typeof CompleteMultipartUploadCommand
  | typeof AbortMultipartUploadCommand;

/** An S3 error as the SDK throws it after reading S3's answer: named by S3's code, with its status. */
export function s3Error(name: string, status: number, message = `${name}: injected`): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'R7KX3Q9C2B5D8F1A' },
    message,
  });
}

/** A network failure as Node's HTTP client reports it through the SDK. */
export function networkError(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
  });
}

/**
 * A real `S3Client` whose `send` is replaced by aws-sdk-client-mock with an in-memory S3: it
 * keeps what is put (a streamed body is read to its end and checked against its
 * ContentLength, as S3 does), answers HEAD, tags and GET from it, assembles multipart uploads,
 * and fails the commands it is told to. `mock` holds every command received, for the
 * aws-sdk-client-mock-jest matchers.
 */
export class FakeS3 {
  readonly client: S3Client;
  readonly mock: AwsClientStub<S3Client>;
  readonly objects = new Map<string, FakeObject>();
  private readonly failures = new Map<Command, { error: Error; times: number }>();
  private readonly hooks = new Map<Command, (input: never) => Promise<void>>();
  private readonly uploads = new Map<
    string,
    { key: string; contentType: string; metadata: Record<string, string>; parts: Map<number, Buffer> }
  >();
  private uploadCount = 0;

  /** `config`: the client's own settings beyond region and credentials (its checksum settings, say). */
  constructor(config: S3ClientConfig = {}) {
    this.client = new S3Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      ...config,
    });
    const mock = mockClient(this.client);
    this.mock = mock;
    const at = (bucket?: string, key?: string) => `${bucket}/${key}`;
    mock.on(HeadObjectCommand).callsFake(async (input) => {
      await this.failIfTold(HeadObjectCommand, input);
      const object = this.objects.get(at(input.Bucket, input.Key));
      if (!object) throw new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } });
      return { ContentType: object.contentType, ContentLength: object.body.length, Metadata: { ...object.metadata } };
    });
    mock.on(GetObjectCommand).callsFake(async (input) => {
      await this.failIfTold(GetObjectCommand, input);
      const object = this.objects.get(at(input.Bucket, input.Key));
      if (!object)
        throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
      // The SDK's body in Node is the HTTP answer: a Readable.
      return {
        Body: Readable.from([object.body]) as unknown as GetObjectCommandOutput['Body'],
        ContentLength: object.body.length,
        ContentType: object.contentType,
      };
    });
    mock.on(PutObjectCommand).callsFake(async (input) => {
      await this.failIfTold(PutObjectCommand, input);
      const body = await bytesOf(input.Body);
      if (input.ContentLength !== undefined && body.length !== input.ContentLength) {
        throw s3Error(
          'IncompleteBody',
          400,
          'You did not provide the number of bytes specified by the Content-Length HTTP header.',
        );
      }
      this.objects.set(at(input.Bucket, input.Key), {
        body,
        contentType: input.ContentType ?? 'binary/octet-stream',
        metadata: { ...input.Metadata },
      });
      return { ETag: '"d41d8cd98f00b204e9800998ecf8427e"' };
    });
    mock.on(PutObjectTaggingCommand).callsFake(async (input) => {
      await this.failIfTold(PutObjectTaggingCommand, input);
      const object = this.objects.get(at(input.Bucket, input.Key));
      if (!object)
        throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
      object.tags = Object.fromEntries(
        (input.Tagging?.TagSet ?? []).map((tag: { Key?: string; Value?: string }) => [tag.Key ?? '', tag.Value ?? '']),
      );
      return {};
    });
    mock.on(GetObjectTaggingCommand).callsFake(async (input) => {
      await this.failIfTold(GetObjectTaggingCommand, input);
      const tags = this.objects.get(at(input.Bucket, input.Key))?.tags ?? {};
      return { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
    });
    mock.on(CreateMultipartUploadCommand).callsFake(async (input) => {
      await this.failIfTold(CreateMultipartUploadCommand, input);
      this.uploadCount += 1;
      const UploadId = `VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA-${this.uploadCount}`;
      this.uploads.set(UploadId, {
        key: at(input.Bucket, input.Key),
        contentType: input.ContentType ?? '',
        metadata: { ...input.Metadata },
        parts: new Map(),
      });
      return { Bucket: input.Bucket, Key: input.Key, UploadId };
    });
    mock.on(UploadPartCommand).callsFake(async (input) => {
      await this.failIfTold(UploadPartCommand, input);
      this.uploads.get(input.UploadId ?? '')?.parts.set(input.PartNumber ?? 0, Buffer.from(await bytesOf(input.Body)));
      return { ETag: `"etag-${input.PartNumber}"` };
    });
    mock.on(CompleteMultipartUploadCommand).callsFake(async (input) => {
      await this.failIfTold(CompleteMultipartUploadCommand, input);
      const upload = this.uploads.get(input.UploadId ?? '');
      if (!upload) throw s3Error('NoSuchUpload', 404);
      const body = Buffer.concat(
        (input.MultipartUpload?.Parts ?? []).map(
          (part: { PartNumber?: number }) => upload.parts.get(part.PartNumber ?? 0) ?? Buffer.alloc(0),
        ),
      );
      this.objects.set(upload.key, { body, contentType: upload.contentType, metadata: upload.metadata });
      this.uploads.delete(input.UploadId ?? '');
      return {};
    });
    mock.on(AbortMultipartUploadCommand).callsFake(async (input) => {
      await this.failIfTold(AbortMultipartUploadCommand, input);
      this.uploads.delete(input.UploadId ?? '');
      return {};
    });
  }

  /** Makes the next `times` calls of a command (all of them by default) reject with `error`. */
  fail(command: Command, error: Error, times = Infinity): this {
    this.failures.set(command, { error, times });
    return this;
  }

  /** Stores an object, as if an earlier invocation had. */
  put(bucket: string, key: string, object: FakeObject): void {
    this.objects.set(`${bucket}/${key}`, object);
  }

  /** The commands received, by name without `Command`, in order. */
  sent(): string[] {
    return this.mock
      .calls()
      .map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));
  }

  /** The abort signal each command was sent with, in order. */
  abortSignals(): (AbortSignal | undefined)[] {
    return this.mock
      .calls()
      .map((call) => ((call.args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal);
  }

  /** The input of every call of one command. */
  inputsOf<C extends Command>(command: C): InstanceType<C>['input'][] {
    return this.mock.commandCalls(command as never).map((call) => (call.args[0] as InstanceType<C>).input);
  }

  /** Multipart uploads started and neither completed nor aborted. */
  get openUploads(): number {
    return this.uploads.size;
  }

  /** Runs `hook` with each call's input before the fake answers it: to slow a call down, or fail it, as S3 might. */
  before<C extends Command>(command: C, hook: (input: InstanceType<C>['input']) => Promise<void>): this {
    this.hooks.set(command, hook as (input: never) => Promise<void>);
    return this;
  }

  private async failIfTold(command: Command, input: unknown): Promise<void> {
    await this.hooks.get(command)?.(input as never);
    const failure = this.failures.get(command);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      throw failure.error;
    }
  }
}

async function bytesOf(body: unknown): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string' || body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
