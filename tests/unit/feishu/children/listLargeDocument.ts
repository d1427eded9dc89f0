/**
 * Run by largeDocumentPages.test.ts in a process of its own, whose heap the test limits:
 * docxImages lists a document of `pages` pages of 500 blocks, each page about `pageBytes` of
 * Feishu's JSON (one image block, then text blocks of long paragraphs), and prints one JSON
 * line: what it answered, and the most memory the process held.
 *
 * Usage: node listLargeDocument.js <pages> <pageBytes>
 */
import { docx } from '../../../../lib/endpoints';
import { createHandler } from '../../../../lib/handler/createHandler';
import type { FullDocumentAnswer } from '../../../../lib/mirror/DocumentAnswer';
import { lambdaContext } from '../../../support/lambdaContext';
import { blocksPage } from '../../helpers/fakeDocument';
import { FakeFeishu, imageAnswer } from '../../helpers/fakeFeishu';
import { FakeS3 } from '../../helpers/fakeS3';
import { setHandlerEnv } from '../../helpers/handlerEnv';
import { PNG } from '../../helpers/images';

const DOCUMENT_ID = 'doxcnL8rG3kV6pZ1wQ9tY4mB7cX';
const BLOCKS_A_PAGE = 500;
const PARAGRAPH =
  'The quarterly review covers the migration of the image pipeline, the results of the load tests, ' +
  'the open questions about retention, and the plan for the next two sprints. ';

/** Block n of the document (from 0): the first of each page an image, the others text. */
function block(n: number, contentLength: number): object {
  const blockId = `doxcn${String(n).padStart(22, '0')}`;
  if (n % BLOCKS_A_PAGE === 0) {
    const image = { token: `boxcnQ2wE4rT6yU8iO0pA1sD${n / BLOCKS_A_PAGE}`, width: 1280, height: 720 };
    return { block_id: blockId, parent_id: DOCUMENT_ID, block_type: 27, image };
  }
  const content = `${n} ${PARAGRAPH.repeat(Math.ceil(contentLength / PARAGRAPH.length))}`.slice(0, contentLength);
  const text = { elements: [{ text_run: { content, text_element_style: {} } }], style: {} };
  return { block_id: blockId, parent_id: DOCUMENT_ID, block_type: 2, text };
}

async function main(): Promise<void> {
  const [pages, pageBytes] = process.argv.slice(2).map(Number) as [number, number];
  // A text block's JSON is its paragraph and about 170 bytes around it.
  const contentLength = Math.floor(pageBytes / BLOCKS_A_PAGE) - 170;
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with --expose-gc');
  let liveHeapBytes = 0;
  const feishu = new FakeFeishu().onImage((call) => {
    const url = new URL(call.url);
    if (!url.pathname.endsWith('/blocks')) return imageAnswer(PNG);
    // What the listing holds from the pages before: all else is garbage by now.
    collect();
    liveHeapBytes = Math.max(liveHeapBytes, process.memoryUsage().heapUsed);
    // Each page is made when asked for, as Feishu sends it, and never kept here.
    const page = Number(url.searchParams.get('page_token')?.slice(5) ?? 0) / BLOCKS_A_PAGE;
    const first = page * BLOCKS_A_PAGE;
    const items = Array.from({ length: BLOCKS_A_PAGE }, (_, i) => block(first + i, contentLength));
    const next = page + 1 < pages ? (block(first + BLOCKS_A_PAGE, 0) as { block_id: string }).block_id : undefined;
    return blocksPage(items, next);
  });
  setHandlerEnv({ DOCX_RATE_LIMIT: '1000/s', DRIVE_MEDIA_RATE_LIMIT: '1000/s' });
  const handler = createHandler(docx, feishu.clients({ s3: new FakeS3().client }));
  const answer = (await handler({ documentId: DOCUMENT_ID }, lambdaContext(600_000))) as FullDocumentAnswer;
  const { images, succeeded, failed } = answer;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ images: images.length, succeeded, failed, liveHeapBytes, maxRssBytes })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
