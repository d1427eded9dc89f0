/**
 * The baseline: the Lambda a team writes without this project. The official Feishu SDK
 * downloads the image into a Buffer, one PutObjectCommand uploads it, getSignedUrl signs a GET.
 * It takes the same direct payloads (`{"imageKey": "…"}`, `{"whiteboardId": "…"}`) and the same
 * settings as our functions. A benchmark contestant only: a dev dependency, never deployed.
 */
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { bucket, feishu, prefix, s3, toBuffer } from './clients';

/** The payloads the baseline understands: one image per invocation. */
export interface BaselinePayload {
  imageKey?: string;
  whiteboardId?: string;
}

/** The SDK's answer to a download: the body as a stream, and the response headers. */
interface SdkDownload {
  getReadableStream(): Readable;
  headers: Record<string, string | undefined>;
}

async function download(payload: BaselinePayload): Promise<{ kind: string; id: string; file: SdkDownload }> {
  if (payload.imageKey) {
    return {
      kind: 'im',
      id: payload.imageKey,
      file: (await feishu.im.image.get({ path: { image_key: payload.imageKey } })) as SdkDownload,
    };
  }
  if (payload.whiteboardId) {
    const file = (await feishu.board.v1.whiteboard.downloadAsImage({
      path: { whiteboard_id: payload.whiteboardId },
    })) as SdkDownload;
    return { kind: 'whiteboard', id: payload.whiteboardId, file };
  }
  throw new Error('imageKey or whiteboardId is required');
}

/** Downloads the image, stores it, answers with a presigned GET URL. */
export const handler = async (
  payload: BaselinePayload,
): Promise<{ bucket: string; key: string; url: string; size: number; contentType: string }> => {
  const { kind, id, file } = await download(payload);
  const bytes = await toBuffer(file.getReadableStream());
  const contentType = file.headers['content-type'] ?? 'application/octet-stream';
  const key = `${prefix}${kind}/${id}`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }));
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 900 });
  return { bucket, key, url, size: bytes.length, contentType };
};
