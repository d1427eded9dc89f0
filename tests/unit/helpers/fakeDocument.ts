import { documentBlocks, type DocumentBlockInput, type FeishuBlock } from '../../sandbox/feishu/documentBlocks';
import { imageAnswer, type Reply } from './fakeFeishu';
import { PNG } from './images';

const BLOCKS_PATH = /^\/open-apis\/docx\/v1\/documents\/([^/]+)\/blocks$/;

/**
 * Fake Feishu's answers for one docx document: its blocks, laid out as the blocks endpoint
 * lists them (tests/sandbox/feishu/documentBlocks.ts), a page of `page_size` at a time, each
 * page's token the id of its first block; every other call (document media, whiteboards)
 * answers a PNG. Pass it to `FakeFeishu.onImage`.
 *
 * @example
 * feishu.onImage(documentReply('doxcnA', [{ type: 'image', token: 'boxcn1' }]));
 */
export function documentReply(documentId: string, inputs: readonly DocumentBlockInput[]): Reply {
  return pagesReply(documentId, documentBlocks(documentId, documentId, inputs));
}

/** The same for blocks a test lays out itself. */
export function pagesReply(documentId: string, blocks: readonly FeishuBlock[]): Reply {
  const starts = new Map(blocks.map((block, index) => [block.block_id, index]));
  return (call) => {
    const url = new URL(call.url);
    const listed = BLOCKS_PATH.exec(url.pathname);
    if (listed === null) return imageAnswer(PNG);
    if (listed[1] !== documentId) throw new Error(`fake Feishu has no document ${listed[1]}`);
    const pageSize = Number(url.searchParams.get('page_size') ?? 500);
    const token = url.searchParams.get('page_token');
    const start = token === null ? 0 : starts.get(token);
    if (start === undefined) throw new Error(`fake Feishu issued no page token ${token}`);
    const next = blocks[start + pageSize];
    return blocksPage(blocks.slice(start, start + pageSize), next?.block_id);
  };
}

/**
 * One page of the blocks endpoint's answer, as Feishu sends it: `has_more` and `page_token`
 * when a next page starts with the block `nextToken` names.
 *
 * @example
 * blocksPage(blocks.slice(0, 500), blocks[500]?.block_id);
 */
export function blocksPage(items: readonly object[], nextToken?: string): Response {
  const data = {
    items,
    has_more: nextToken !== undefined,
    ...(nextToken === undefined ? {} : { page_token: nextToken }),
  };
  return new Response(JSON.stringify({ code: 0, msg: 'success', data }), {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-tt-logid': '20261207101530D0C1B2A3F4E5D6C7B8A9' },
  });
}
