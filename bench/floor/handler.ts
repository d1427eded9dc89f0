/**
 * The floor: the transfer itself, with no logic around it. One plain fetch of the image from
 * Feishu, its body piped into one plain S3 PUT. No checks, no hash, no cache, no presigning.
 * A benchmark contestant only, built like the others and invoked like them.
 */
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { signedPut } from './signedPut';

const env = process.env;
let token: Promise<string> | undefined;

async function tenantToken(): Promise<string> {
  const answer = await fetch(`${env.FEISHU_BASE_URL}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ app_id: env.FEISHU_APP_ID, app_secret: env.FEISHU_APP_SECRET }),
  });
  return ((await answer.json()) as { tenant_access_token: string }).tenant_access_token;
}

/** Copies `{"imageKey": "…"}` or `{"whiteboardId": "…"}` from Feishu to S3; answers its size. */
export const handler = async (payload: {
  imageKey?: string;
  whiteboardId?: string;
}): Promise<{ key: string; size: number }> => {
  const [kind, path] = payload.imageKey
    ? ['im', `im/v1/images/${payload.imageKey}`]
    : ['whiteboard', `board/v1/whiteboards/${payload.whiteboardId}/download_as_image`];
  token ??= tenantToken();
  const response = await fetch(`${env.FEISHU_BASE_URL}/open-apis/${path}`, {
    headers: { authorization: `Bearer ${await token}` },
  });
  if (!response.ok || !response.body) throw new Error(`Feishu answered ${response.status}`);
  const key = `${env.IMAGE_KEY_PREFIX ?? 'feishu/'}${kind}/${payload.imageKey ?? payload.whiteboardId}`;
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
  return { key, size: length };
};
