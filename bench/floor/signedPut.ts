import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import type { Readable } from 'node:stream';

/** Where one plain PUT goes, and with what. */
export interface PlainPut {
  /** The S3 endpoint, path style: `http://127.0.0.1:4569`. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  key: string;
  contentType: string;
  length: number;
  body: Readable;
}

const hmac = (key: Buffer | string, text: string): Buffer => createHmac('sha256', key).update(text).digest();
const encodePath = (path: string): string =>
  path
    .split('/')
    .map((part) =>
      encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');

/**
 * One S3 PUT of a stream of known length, signed with SigV4 over an unsigned payload: the
 * least any uploader does, so it is the floor the contestants are measured against.
 *
 * @example
 * await signedPut({
 *   endpoint,
 *   region,
 *   accessKeyId,
 *   secretAccessKey,
 *   bucket,
 *   key,
 *   contentType: 'image/png',
 *   length,
 *   body,
 * });
 */
export async function signedPut(put: PlainPut): Promise<void> {
  const url = new URL(`${put.endpoint.replace(/\/$/, '')}${encodePath(`/${put.bucket}/${put.key}`)}`);
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const scope = `${amzDate.slice(0, 8)}/${put.region}/s3/aws4_request`;
  const headers: Record<string, string> = {
    host: url.host,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    'x-amz-date': amzDate,
  };
  const signed = Object.keys(headers).sort();
  const canonical = [
    'PUT',
    url.pathname,
    '',
    ...signed.map((name) => `${name}:${headers[name]}`),
    '',
    signed.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const dateKey = hmac(`AWS4${put.secretAccessKey}`, amzDate.slice(0, 8));
  const signingKey = hmac(hmac(hmac(dateKey, put.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  const authorization = [
    `AWS4-HMAC-SHA256 Credential=${put.accessKeyId}/${scope}`,
    `SignedHeaders=${signed.join(';')}`,
    `Signature=${signature}`,
  ].join(', ');
  const send = url.protocol === 'https:' ? requestTls : request;
  await new Promise<void>((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: 'PUT',
        headers: {
          ...headers,
          authorization,
          'content-length': String(put.length),
          'content-type': put.contentType,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if ((response.statusCode ?? 0) < 300) {
            resolve();
            return;
          }
          const answer = Buffer.concat(chunks).toString('utf8').slice(0, 300);
          reject(new Error(`PUT ${put.key}: S3 answered ${response.statusCode}: ${answer}`));
        });
      },
    );
    outgoing.on('error', reject);
    put.body.on('error', (error) => outgoing.destroy(error));
    put.body.pipe(outgoing);
  });
}
