import { createHash, createHmac } from 'node:crypto';
import type { AwsCredentials } from './AwsCredentials';

/** The payload hash that lets a body go unhashed (S3 over TLS, presigned URLs). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** sha256 of the empty string, the payload hash of a request without a body. */
export const EMPTY_PAYLOAD_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Who signs, for which service and region, and when. */
export interface SigningScope {
  service: string;
  region: string;
  credentials: AwsCredentials;
  /** The signing time; now when absent. */
  now?: Date;
}

/** A request to sign: its URL must already carry the encoded path and query it will be sent with. */
export interface SignableRequest {
  method: string;
  url: URL;
  /** Header names in lower case; every header given is signed. */
  headers: Record<string, string>;
  /** Hex sha256 of the body, EMPTY_PAYLOAD_HASH, or UNSIGNED_PAYLOAD. */
  payloadHash: string;
  /**
   * The encoded path exactly as it is sent, when the URL's would differ: the URL parser folds
   * `.` and `..` segments, which S3 keys may hold.
   */
  path?: string;
}

/**
 * The request's headers with AWS Signature Version 4 added (`authorization`, `x-amz-date`,
 * `x-amz-content-sha256`, and `x-amz-security-token` for temporary keys).
 *
 * @example
 * const headers = signRequest({ method: 'HEAD', url, headers: {}, payloadHash: EMPTY_PAYLOAD_HASH }, { service: 's3', region, credentials });
 */
export function signRequest(request: SignableRequest, scope: SigningScope): Record<string, string> {
  const { amzDate, date } = timestamps(scope.now ?? new Date());
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.url.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': request.payloadHash,
  };
  if (scope.credentials.sessionToken) headers['x-amz-security-token'] = scope.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${String(headers[name]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonical = [request.method, request.path ?? request.url.pathname, canonicalQuery(request.url), canonicalHeaders, signedHeaders, request.payloadHash].join('\n');
  const credentialScope = `${date}/${scope.region}/${scope.service}/aws4_request`;
  const signature = sign(canonical, amzDate, credentialScope, date, scope);
  headers.authorization = `${ALGORITHM} Credential=${scope.credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  delete headers.host;
  return headers;
}

/**
 * A presigned URL for `method` on `url` (whose query may already hold response overrides),
 * valid for `expiresInSeconds`, signing only the host header; `path`, when given, is the
 * encoded path exactly as it must appear (see SignableRequest). Signing is local.
 *
 * @example
 * const link = presignUrl('GET', new URL('https://bucket.s3.us-east-1.amazonaws.com/a.png'), scope, 900);
 */
export function presignUrl(method: string, url: URL, scope: SigningScope, expiresInSeconds: number, path = url.pathname): string {
  const { amzDate, date } = timestamps(scope.now ?? new Date());
  const credentialScope = `${date}/${scope.region}/${scope.service}/aws4_request`;
  const signed = new URL(url);
  signed.searchParams.set('X-Amz-Algorithm', ALGORITHM);
  signed.searchParams.set('X-Amz-Credential', `${scope.credentials.accessKeyId}/${credentialScope}`);
  signed.searchParams.set('X-Amz-Date', amzDate);
  signed.searchParams.set('X-Amz-Expires', String(expiresInSeconds));
  signed.searchParams.set('X-Amz-SignedHeaders', 'host');
  if (scope.credentials.sessionToken) signed.searchParams.set('X-Amz-Security-Token', scope.credentials.sessionToken);
  const query = canonicalQuery(signed);
  const canonical = [method, path, query, `host:${signed.host}\n`, 'host', UNSIGNED_PAYLOAD].join('\n');
  const signature = sign(canonical, amzDate, credentialScope, date, scope);
  // The query is rebuilt from the canonical form, so the URL carries exactly what was signed.
  return `${signed.origin}${path}?${query}&X-Amz-Signature=${signature}`;
}

/** RFC 3986 encoding, as SigV4 wants it: encodeURIComponent leaves !'()* alone. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Hex sha256 of a body, for a signed payload. */
export function sha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

function canonicalQuery(url: URL): string {
  const pairs: Array<[string, string]> = [];
  url.searchParams.forEach((value, key) => pairs.push([encodeRfc3986(key), encodeRfc3986(value)]));
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

function timestamps(now: Date): { amzDate: string; date: string } {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { amzDate, date: amzDate.slice(0, 8) };
}

let cachedKey: { id: string; key: Buffer } | undefined;

function sign(canonical: string, amzDate: string, credentialScope: string, date: string, scope: SigningScope): string {
  const stringToSign = [ALGORITHM, amzDate, credentialScope, sha256Hex(canonical)].join('\n');
  return createHmac('sha256', signingKey(date, scope)).update(stringToSign).digest('hex');
}

// The key changes once a day per secret, region and service: four HMACs saved per request.
function signingKey(date: string, scope: SigningScope): Buffer {
  const id = `${scope.credentials.secretAccessKey}\n${date}\n${scope.region}\n${scope.service}`;
  if (cachedKey?.id === id) return cachedKey.key;
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${scope.credentials.secretAccessKey}`, date), scope.region), scope.service), 'aws4_request');
  cachedKey = { id, key };
  return key;
}
