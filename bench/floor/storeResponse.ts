import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { signedPut } from './signedPut';

const env = process.env;

/**
 * Pipes a Feishu download's body into one plain signed PUT of `key`, to the bucket and endpoint
 * the functions' settings name; answers the size Feishu declared.
 */
export async function storeResponse(key: string, response: Response): Promise<number> {
  const length = Number(response.headers.get('content-length'));
  await signedPut({
    endpoint: env.AWS_ENDPOINT_URL_S3 ?? `https://s3.${env.AWS_REGION}.amazonaws.com`,
    region: env.AWS_REGION ?? 'us-east-1',
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    bucket: env.IMAGE_BUCKET ?? '',
    key,
    contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    length,
    body: Readable.fromWeb(response.body as ReadableStream<Uint8Array>),
  });
  return length;
}
