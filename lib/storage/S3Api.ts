import { createHash } from 'node:crypto';
import { credentialsFromEnvironment, regionFromEnvironment, serviceEndpoint } from '../aws/AwsCredentials';
import { AwsServiceError } from '../aws/AwsServiceError';
import type { HttpResponse } from '../aws/httpRequest';
import { sendSigned } from '../aws/sendSigned';
import { EMPTY_PAYLOAD_HASH, encodeRfc3986, presignUrl, sha256Hex, UNSIGNED_PAYLOAD } from '../aws/signatureV4';

/** An object's headers, as HEAD answers them. */
export interface ObjectHead {
  contentType?: string;
  contentLength?: number;
  /** User metadata, names without the `x-amz-meta-` prefix. */
  metadata: Record<string, string>;
}

/** How a new object is described. */
export interface ObjectProperties {
  contentType: string;
  metadata: Record<string, string>;
}

/** A part of a multipart upload, as CompleteMultipartUpload lists it. */
export interface UploadedPart {
  partNumber: number;
  etag: string;
}

/** The S3 operations this product uses; each call is observed under its S3 name. */
export type S3Operation =
  | 'HeadObject' | 'GetObject' | 'PutObject' | 'PutObjectTagging' | 'GetObjectTagging'
  | 'CreateMultipartUpload' | 'UploadPart' | 'CompleteMultipartUpload' | 'AbortMultipartUpload';

/**
 * The few S3 calls the functions make, signed with SigV4 over Node's HTTP client. Endpoint,
 * region and credentials come from the environment at each call (`AWS_ENDPOINT_URL_S3` for
 * S3-compatible servers). Hand-written instead of `@aws-sdk/client-s3`: see the README.
 */
export class S3Api {
  /** Called with each operation's name before it is sent (tests count requests with it). */
  readonly observers = new Set<(operation: S3Operation) => void>();

  constructor(private readonly forcePathStyle: boolean) {}

  /** The object's headers; undefined when there is no such object. */
  async headObject(bucket: string, key: string): Promise<ObjectHead | undefined> {
    try {
      const { headers } = await this.send('HeadObject', 'HEAD', bucket, key);
      const metadata: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) {
        if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice('x-amz-meta-'.length)] = value;
      }
      const length = headers['content-length'];
      return { contentType: headers['content-type'], contentLength: length === undefined ? undefined : Number(length), metadata };
    } catch (error) {
      if (error instanceof AwsServiceError && (error.name === 'NotFound' || error.name === 'NoSuchKey')) return undefined;
      throw error;
    }
  }

  /** The object's bytes; rejects with `TooLarge` rather than read more than `maxBytes`. */
  async getObject(bucket: string, key: string, maxBytes: number): Promise<Buffer> {
    return (await this.send('GetObject', 'GET', bucket, key, { maxBodyBytes: maxBytes })).body;
  }

  /** Stores a whole object in one request; `sha256` (hex), when known, signs the payload. */
  async putObject(bucket: string, key: string, body: Uint8Array, properties: ObjectProperties, sha256?: string): Promise<void> {
    await this.send('PutObject', 'PUT', bucket, key, { headers: objectHeaders(properties), body, payloadHash: sha256 ?? sha256Hex(body) });
  }

  /**
   * Stores an object of known length in one request, sending the chunks as they come (the
   * payload unsigned: TLS protects it). S3 stores it only once all `length` bytes arrived, so
   * a body that fails midway leaves nothing, and an older object under the key untouched.
   * Sent once, never retried: the chunks cannot be read twice.
   */
  async putObjectStream(bucket: string, key: string, chunks: AsyncIterable<Uint8Array>, length: number, properties: ObjectProperties): Promise<void> {
    await this.send('PutObject', 'PUT', bucket, key, {
      headers: { ...objectHeaders(properties), 'content-length': String(length) }, body: chunks, payloadHash: UNSIGNED_PAYLOAD, attempts: 1,
    });
  }

  /** Replaces the object's tags: a small request, whatever the object's size. */
  async putObjectTagging(bucket: string, key: string, tags: Record<string, string>): Promise<void> {
    const xml = `<Tagging><TagSet>${Object.entries(tags).map(([name, value]) => `<Tag><Key>${escapeXml(name)}</Key><Value>${escapeXml(value)}</Value></Tag>`).join('')}</TagSet></Tagging>`;
    // S3 requires an integrity header on this call.
    const md5 = createHash('md5').update(xml).digest('base64');
    await this.send('PutObjectTagging', 'PUT', bucket, key, { query: { tagging: '' }, headers: { 'content-type': 'application/xml', 'content-md5': md5 }, body: xml });
  }

  /** The object's tags. */
  async getObjectTagging(bucket: string, key: string): Promise<Record<string, string>> {
    const { body } = await this.send('GetObjectTagging', 'GET', bucket, key, { query: { tagging: '' } });
    const tags: Record<string, string> = {};
    for (const tag of body.toString('utf8').match(/<Tag>[\s\S]*?<\/Tag>/g) ?? []) {
      const name = xmlText(tag, 'Key');
      if (name !== undefined) tags[name] = xmlText(tag, 'Value') ?? '';
    }
    return tags;
  }

  /** Starts a multipart upload; answers its upload id. */
  async createMultipartUpload(bucket: string, key: string, properties: ObjectProperties): Promise<string> {
    const { body } = await this.send('CreateMultipartUpload', 'POST', bucket, key, { query: { uploads: '' }, headers: objectHeaders(properties) });
    const uploadId = xmlText(body.toString('utf8'), 'UploadId');
    if (!uploadId) throw new AwsServiceError('MalformedAnswer', 'S3 started a multipart upload without naming it', 200);
    return uploadId;
  }

  /** Uploads one part (its payload unsigned: TLS protects it, and hashing it again would cost a pass). */
  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<UploadedPart> {
    const { headers } = await this.send('UploadPart', 'PUT', bucket, key, {
      query: { partNumber: String(partNumber), uploadId }, body, payloadHash: UNSIGNED_PAYLOAD,
    });
    const etag = headers.etag;
    if (!etag) throw new AwsServiceError('MalformedAnswer', `S3 stored part ${partNumber} without an ETag`, 200);
    return { partNumber, etag };
  }

  /** Completes a multipart upload from its parts: the object appears whole, at once. */
  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly UploadedPart[]): Promise<void> {
    const xml = `<CompleteMultipartUpload>${[...parts].sort((a, b) => a.partNumber - b.partNumber)
      .map((part) => `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${escapeXml(part.etag)}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    await this.send('CompleteMultipartUpload', 'POST', bucket, key, { query: { uploadId }, headers: { 'content-type': 'application/xml' }, body: xml });
  }

  /** Aborts a multipart upload, freeing its parts. */
  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.send('AbortMultipartUpload', 'DELETE', bucket, key, { query: { uploadId } });
  }

  /** A presigned GET URL for one object, with response header overrides. Local: nothing is sent. */
  presignGetObject(bucket: string, key: string, responseHeaders: Record<string, string>, expiresInSeconds: number): string {
    const { url, path } = this.objectUrl(bucket, key, responseHeaders);
    return presignUrl('GET', url, { service: 's3', region: regionFromEnvironment(), credentials: credentialsFromEnvironment() }, expiresInSeconds, path);
  }

  private async send(
    operation: S3Operation, method: string, bucket: string, key: string,
    options: {
      query?: Record<string, string>; headers?: Record<string, string>; body?: Uint8Array | string | AsyncIterable<Uint8Array>;
      payloadHash?: string; maxBodyBytes?: number; attempts?: number;
    } = {},
  ): Promise<HttpResponse> {
    for (const observe of this.observers) observe(operation);
    const body = options.body;
    const { url, path } = this.objectUrl(bucket, key, options.query ?? {});
    return sendSigned({
      service: 's3', method, url, path, headers: options.headers, body, maxBodyBytes: options.maxBodyBytes,
      payloadHash: options.payloadHash ?? (body === undefined ? EMPTY_PAYLOAD_HASH : sha256Hex(body as Uint8Array | string)), attempts: options.attempts,
      errorOf: s3ErrorOf,
    });
  }

  /**
   * The object's URL (origin and query) and its encoded path, kept apart: S3 keys may hold `.`
   * and `..` segments, which the URL parser would fold into another key. The path is sent and
   * signed exactly as built here.
   */
  private objectUrl(bucket: string, key: string, query: Record<string, string>): { url: URL; path: string } {
    const base = serviceEndpoint('s3', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL');
    // Virtual-hosted style unless asked otherwise; bucket names with dots break TLS names.
    const pathStyle = this.forcePathStyle || bucket.includes('.');
    const basePath = base.pathname.replace(/\/$/, '');
    const url = new URL(pathStyle ? `${base.protocol}//${base.host}` : `${base.protocol}//${bucket}.${base.host}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    // `?uploads` has no value; URLSearchParams would write `uploads=`, which S3 reads the same.
    return { url, path: pathStyle ? `${basePath}/${bucket}/${encodeKey(key)}` : `${basePath}/${encodeKey(key)}` };
  }
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeRfc3986).join('/');
}

function objectHeaders(properties: ObjectProperties): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': properties.contentType };
  for (const [name, value] of Object.entries(properties.metadata)) headers[`x-amz-meta-${name}`] = value;
  return headers;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of the first `<tag>` in a small XML answer. */
export function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return match?.[1]?.replace(/&(amp|lt|gt|quot|apos);/g, (_, entity: string) => XML_ENTITIES[entity] ?? '');
}

const ERROR_BODY = /^\s*(<\?xml[^>]*>\s*)?<Error>/;

/**
 * S3's error in an answer: an error status, or a 200 whose body is an `<Error>` (which
 * CompleteMultipartUpload may send after it started answering).
 */
function s3ErrorOf(response: HttpResponse): AwsServiceError | undefined {
  // Only the start of a success is decoded to tell: its body may be a whole object.
  if (response.status < 300 && !ERROR_BODY.test(response.body.subarray(0, 256).toString('utf8'))) return undefined;
  const requestId = typeof response.headers['x-amz-request-id'] === 'string' ? response.headers['x-amz-request-id'] : undefined;
  const text = response.body.toString('utf8');
  const code = xmlText(text, 'Code') ?? statusName(response.status);
  const message = xmlText(text, 'Message') ?? `S3 answered HTTP ${response.status}`;
  return new AwsServiceError(code, message, response.status >= 300 ? response.status : 500, requestId);
}

// A HEAD answer has no body: its status is all there is to name it by.
function statusName(status: number): string {
  if (status === 404) return 'NotFound';
  if (status === 403) return 'AccessDenied';
  if (status === 301 || status === 307) return 'PermanentRedirect';
  if (status === 503) return 'SlowDown';
  return `Http${status}`;
}
