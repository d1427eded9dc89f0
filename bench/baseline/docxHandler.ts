/**
 * The baseline for a docx document: what a team writes with the official Feishu SDK. It lists
 * the document's blocks page by page, then for each image block downloads the medium into a
 * Buffer, uploads it with one PutObjectCommand and signs a GET, one image after the other,
 * starting at most one every 210 ms because Feishu allows document media 5 calls a second (a
 * team finds that out from its first 429s). A benchmark contestant only, never deployed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { bucket, feishu, prefix, s3, toBuffer } from './clients';
/** Document media's 5 calls a second, with a little room. */
const SPACING_MS = 210;
const IMAGE_BLOCK = 27;

/** The image tokens of a document, in order. */
async function imageTokens(documentId: string): Promise<string[]> {
  const tokens: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await feishu.docx.v1.documentBlock.list({
      path: { document_id: documentId },
      params: { page_size: 500, ...(pageToken ? { page_token: pageToken } : {}) },
    });
    for (const block of page.data?.items ?? []) {
      if (block.block_type === IMAGE_BLOCK && block.image?.token) tokens.push(block.image.token);
    }
    pageToken = page.data?.has_more ? page.data.page_token : undefined;
  } while (pageToken);
  return tokens;
}

/** Mirrors every image of `{"documentId": "…"}`; answers each image's URL, or its error. */
export const handler = async (payload: {
  documentId: string;
}): Promise<{ images: ({ key: string; url: string } | { error: string })[]; succeeded: number; failed: number }> => {
  const tokens = await imageTokens(payload.documentId);
  const images: ({ key: string; url: string } | { error: string })[] = [];
  for (const token of tokens) {
    const started = Date.now();
    try {
      const file = await feishu.drive.v1.media.download({ path: { file_token: token } });
      const body = await toBuffer(file.getReadableStream());
      const key = `${prefix}drive-media/${token}`;
      const contentType = (file.headers as Record<string, string | undefined>)['content-type'];
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
      images.push({ key, url: await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key })) });
    } catch (error) {
      images.push({ error: error instanceof Error ? error.message : String(error) });
    }
    await sleep(Math.max(0, SPACING_MS - (Date.now() - started)));
  }
  const failed = images.filter((image) => 'error' in image).length;
  return { images, succeeded: images.length - failed, failed };
};
