import { AwsServiceError } from '../../../lib/aws/AwsServiceError';
import type { ObjectHead, ObjectProperties, S3Api, S3Operation, UploadedPart } from '../../../lib/storage/S3Api';

/** One call the fake received: the operation and its arguments after the bucket and key. */
export interface FakeS3Call {
  operation: S3Operation;
  bucket: string;
  key: string;
  args: unknown[];
}

/**
 * A stand-in for the S3 client in unit tests, in the manner of aws-sdk-client-mock: it records
 * each call, answers like S3, and fails the operations it is told to. Objects it stores are
 * kept so HEAD finds them.
 */
export class FakeS3Api {
  readonly calls: FakeS3Call[] = [];
  readonly objects = new Map<string, { body: Buffer; properties: ObjectProperties; tags?: Record<string, string> }>();
  readonly observers = new Set<(operation: S3Operation) => void>();
  private readonly failures = new Map<S3Operation, { error: Error; times: number }>();
  private readonly parts = new Map<string, Map<number, Buffer>>();
  private uploads = 0;

  /** Makes the next `times` calls of `operation` (all of them by default) reject with `error`. */
  fail(operation: S3Operation, error: Error, times = Infinity): this {
    this.failures.set(operation, { error, times });
    return this;
  }

  /** This fake, typed as the client the storage functions take. */
  asClient(): S3Api {
    return this as unknown as S3Api;
  }

  /** The calls of one operation. */
  callsOf(operation: S3Operation): FakeS3Call[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  async headObject(bucket: string, key: string): Promise<ObjectHead | undefined> {
    await this.record('HeadObject', bucket, key, []);
    const object = this.objects.get(`${bucket}/${key}`);
    return object && { contentType: object.properties.contentType, contentLength: object.body.length, metadata: { ...object.properties.metadata } };
  }

  async getObject(bucket: string, key: string, maxBytes: number): Promise<Buffer> {
    await this.record('GetObject', bucket, key, [maxBytes]);
    const object = this.objects.get(`${bucket}/${key}`);
    if (!object) throw new AwsServiceError('NoSuchKey', 'The specified key does not exist.', 404);
    return object.body;
  }

  async putObject(bucket: string, key: string, body: Uint8Array, properties: ObjectProperties, sha256?: string): Promise<void> {
    await this.record('PutObject', bucket, key, [Buffer.from(body), properties, sha256]);
    this.objects.set(`${bucket}/${key}`, { body: Buffer.from(body), properties });
  }

  async putObjectStream(bucket: string, key: string, chunks: AsyncIterable<Uint8Array>, length: number, properties: ObjectProperties): Promise<void> {
    await this.record('PutObject', bucket, key, [length, properties]);
    const received: Buffer[] = [];
    // As S3 does: the object exists only once every announced byte arrived.
    for await (const chunk of chunks) received.push(Buffer.from(chunk));
    const body = Buffer.concat(received);
    if (body.length !== length) throw new AwsServiceError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.', 400);
    this.objects.set(`${bucket}/${key}`, { body, properties });
  }

  async putObjectTagging(bucket: string, key: string, tags: Record<string, string>): Promise<void> {
    await this.record('PutObjectTagging', bucket, key, [tags]);
    const object = this.objects.get(`${bucket}/${key}`);
    if (!object) throw new AwsServiceError('NoSuchKey', 'The specified key does not exist.', 404);
    object.tags = { ...tags };
  }

  async getObjectTagging(bucket: string, key: string): Promise<Record<string, string>> {
    await this.record('GetObjectTagging', bucket, key, []);
    return { ...this.objects.get(`${bucket}/${key}`)?.tags };
  }

  async createMultipartUpload(bucket: string, key: string, properties: ObjectProperties): Promise<string> {
    await this.record('CreateMultipartUpload', bucket, key, [properties]);
    this.uploads += 1;
    const uploadId = `VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA-${this.uploads}`;
    this.parts.set(uploadId, new Map());
    return uploadId;
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<UploadedPart> {
    await this.record('UploadPart', bucket, key, [uploadId, partNumber, Buffer.from(body)]);
    this.parts.get(uploadId)?.set(partNumber, Buffer.from(body));
    return { partNumber, etag: `"etag-${partNumber}"` };
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly UploadedPart[]): Promise<void> {
    await this.record('CompleteMultipartUpload', bucket, key, [uploadId, parts]);
    const stored = this.parts.get(uploadId) ?? new Map<number, Buffer>();
    const body = Buffer.concat([...parts].sort((a, b) => a.partNumber - b.partNumber).map((part) => stored.get(part.partNumber) ?? Buffer.alloc(0)));
    const create = this.callsOf('CreateMultipartUpload').find((call) => call.key === key);
    this.objects.set(`${bucket}/${key}`, { body, properties: create?.args[0] as ObjectProperties });
    this.parts.delete(uploadId);
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.record('AbortMultipartUpload', bucket, key, [uploadId]);
    this.parts.delete(uploadId);
  }

  presignGetObject(bucket: string, key: string, responseHeaders: Record<string, string>, expiresInSeconds: number): string {
    const query = new URLSearchParams({ ...responseHeaders, 'X-Amz-Expires': String(expiresInSeconds), 'X-Amz-Signature': 'f'.repeat(64) });
    return `https://${bucket}.s3.us-east-1.amazonaws.com/${key}?${query}`;
  }

  /** Multipart uploads started and neither completed nor aborted. */
  get openUploads(): number {
    return this.parts.size;
  }

  private async record(operation: S3Operation, bucket: string, key: string, args: unknown[]): Promise<void> {
    for (const observe of this.observers) observe(operation);
    this.calls.push({ operation, bucket, key, args });
    await Promise.resolve();
    const failure = this.failures.get(operation);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      throw failure.error;
    }
  }
}
