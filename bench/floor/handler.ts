/**
 * The floor: the transfer itself, with no logic around it. One plain fetch of the image from
 * Feishu, its body piped into one plain S3 PUT. No checks, no hash, no cache, no presigning.
 * A benchmark contestant only, built like the others and invoked like them.
 */
import { storeResponse } from './storeResponse';
import { tenantToken } from './tenantToken';

const env = process.env;

/** Copies `{"imageKey": "…"}` or `{"whiteboardId": "…"}` from Feishu to S3; answers its size. */
export const handler = async (payload: {
  imageKey?: string;
  whiteboardId?: string;
}): Promise<{ key: string; size: number }> => {
  const [kind, path] = payload.imageKey
    ? ['im', `im/v1/images/${payload.imageKey}`]
    : ['whiteboard', `board/v1/whiteboards/${payload.whiteboardId}/download_as_image`];
  const response = await fetch(`${env.FEISHU_BASE_URL}/open-apis/${path}`, {
    headers: { authorization: `Bearer ${await tenantToken()}` },
  });
  if (!response.ok || !response.body) throw new Error(`Feishu answered ${response.status}`);
  const key = `${env.IMAGE_KEY_PREFIX ?? 'feishu/'}${kind}/${payload.imageKey ?? payload.whiteboardId}`;
  return { key, size: await storeResponse(key, response) };
};
