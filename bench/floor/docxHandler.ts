/**
 * The floor for a docx document: the transfers themselves, at Feishu's rate. Plain fetches list
 * the blocks; then the images go five at a time, each five at the start of a whole second of
 * the clock (document media allows 5 calls a second, counted in windows aligned to the clock),
 * every one a plain fetch piped into one plain PUT. No checks, no hash, no cache, no presigning.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { storeResponse } from './storeResponse';

import { tenantToken } from './tenantToken';

const env = process.env;
const PER_SECOND = 5;
const IMAGE_BLOCK = 27;

interface BlockPage {
  data: { items: { block_type: number; image?: { token: string } }[]; has_more: boolean; page_token?: string };
}

async function get(path: string): Promise<Response> {
  const response = await fetch(`${env.FEISHU_BASE_URL}/open-apis/${path}`, {
    headers: { authorization: `Bearer ${await tenantToken()}` },
  });
  if (!response.ok) throw new Error(`Feishu answered ${response.status} to ${path}`);
  return response;
}

async function copy(fileToken: string): Promise<void> {
  const response = await get(`drive/v1/medias/${fileToken}/download`);
  await storeResponse(`${env.IMAGE_KEY_PREFIX ?? 'feishu/'}drive-media/${fileToken}`, response);
}

/** Copies every image of `{"documentId": "…"}` from Feishu to S3; answers how many. */
export const handler = async (payload: { documentId: string }): Promise<{ succeeded: number; failed: number }> => {
  const tokens: string[] = [];
  let pageToken = '';
  do {
    const query = `page_size=500${pageToken ? `&page_token=${pageToken}` : ''}`;
    const page = (await (await get(`docx/v1/documents/${payload.documentId}/blocks?${query}`)).json()) as BlockPage;
    for (const block of page.data.items)
      if (block.block_type === IMAGE_BLOCK && block.image) tokens.push(block.image.token);
    pageToken = page.data.has_more ? (page.data.page_token ?? '') : '';
  } while (pageToken);
  for (let start = 0; start < tokens.length; start += PER_SECOND) {
    // A new window for every five but the first: the next whole second of the clock.
    if (start > 0) await sleep(1000 - (Date.now() % 1000));
    await Promise.all(tokens.slice(start, start + PER_SECOND).map(copy));
  }
  return { succeeded: tokens.length, failed: 0 };
};
