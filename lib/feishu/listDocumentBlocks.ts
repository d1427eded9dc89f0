import type { MetricTally } from '../metrics/MetricTally';
import { subjectOf, type EndpointDescription } from '../endpoints';
import { MirrorError } from '../errors/MirrorError';
import type { Deadline } from '../runtime/Deadline';
import type { Settings } from '../settings/Settings';
import { readText } from '../clients/feishuHttp';
import { callFeishu, feishuTimeout } from './callFeishu';
import { feishuImageUrl } from './feishuUrl';
import type { CallLimiter } from './RateLimiters';
import type { FeishuClients } from './tenantToken';
import { translateFeishuFailure } from './translateFeishuFailure';

/**
 * One block of a document that may hold an image (its `block_type` is one the document
 * endpoint's description names), with only what mirroring uses: the rest of the block, its
 * text above all, is dropped as the page is read.
 */
export interface DocumentBlock {
  blockId: string;
  blockType: number;
  /** The image's token (`image.token`, `board.token`, …); absent when Feishu listed none. */
  token?: string;
}

/** What a listing found: the blocks that may hold an image, in document order, and how many blocks were read. */
export interface DocumentListed {
  blocks: DocumentBlock[];
  blocksRead: number;
}

/** A document to list. */
export interface DocumentListing {
  endpoint: EndpointDescription;
  source: Readonly<Record<string, string>>;
  userAccessToken?: string;
  limiter?: CallLimiter;
  /** The invocation's metrics, which count the calls. */
  metrics?: MetricTally;
}

/**
 * A page of 500 blocks is a few hundred kilobytes of JSON; a page larger than this is no page
 * Feishu sends, and is refused rather than held.
 */
export const MAX_PAGE_BYTES = 8 * 1024 * 1024;

/** No document needs more pages than this; a listing that never ends is Feishu misbehaving. */
export const MAX_PAGES = 2000;

/**
 * The blocks of a document that may hold an image, in document order, read a page at a time
 * (`page_size` from the endpoint's description, following `page_token` while `has_more`), each
 * call within the endpoint's rate limit and with the retries and error table of every Feishu
 * call. Of each block only its id, type and token are kept, and only for the block types the
 * description names: a page is dropped once read, however large its text.
 *
 * A listing that could never end ends at once, with an UPSTREAM_ERROR that retrying cannot fix:
 * a page that says `has_more` without a page token, with a page token an earlier page gave (a
 * cycle, A → B → A), or with no blocks at all.
 *
 * @example
 * const { blocks } = await listDocumentBlocks({ endpoint: docx, source: { documentId } }, settings, deadline, clients);
 * // [{ blockId: 'doxcnA1…', blockType: 27, token: 'boxcnB2…' }, …]
 */
export async function listDocumentBlocks(
  listing: DocumentListing,
  settings: Settings,
  deadline: Deadline,
  clients: FeishuClients,
): Promise<DocumentListed> {
  const { endpoint, source, userAccessToken, limiter, metrics } = listing;
  const subject = subjectOf(endpoint, source);
  const pageSize = endpoint.document?.pageSize ?? 500;
  const kept = new Map((endpoint.document?.blocks ?? []).map((rule) => [rule.blockType, rule.field]));
  const listed: DocumentListed = { blocks: [], blocksRead: 0 };
  // Every page token given so far, with the page that gave it: a repeated one is a cycle.
  const tokens = new Map<string, number>();
  let pageToken: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const url = feishuImageUrl(settings.feishuBaseUrl, endpoint, source, {
      page_size: String(pageSize),
      ...(pageToken ? { page_token: pageToken } : {}),
    });
    const { response } = await callFeishu(
      { endpoint, url, subject, userAccessToken, limiter, metrics },
      settings,
      deadline,
      clients,
    );
    let text: string;
    try {
      text = await readText(response, MAX_PAGE_BYTES);
    } catch (error) {
      if (deadline.expired) throw feishuTimeout(subject, error);
      throw new MirrorError('UPSTREAM_ERROR', `${subject}: Feishu's page ${page} of blocks broke off`, {
        cause: error,
      });
    }
    const answer = readPage(text, subject, page, kept);
    if (answer.code !== 0) {
      const context = { endpoint, subject, withUserToken: userAccessToken !== undefined };
      throw translateFeishuFailure({ status: 200, headers: response.headers, body: text }, context).error;
    }
    for (const block of answer.blocks) listed.blocks.push(block);
    listed.blocksRead += answer.count;
    if (!answer.hasMore) return listed;
    const endless = (why: string): MirrorError => endlessListing(subject, page, why);
    if (answer.count === 0) throw endless('holds no block but says more follow (has_more)');
    if (answer.pageToken === undefined) throw endless('says more blocks follow but gives no page_token');
    const earlier = tokens.get(answer.pageToken);
    if (earlier !== undefined) throw endless(`gives the page_token page ${earlier} gave (${answer.pageToken})`);
    tokens.set(answer.pageToken, page);
    pageToken = answer.pageToken;
  }
  throw new MirrorError('UPSTREAM_ERROR', `${subject}: Feishu listed more than ${MAX_PAGES} pages of blocks`);
}

/** Feishu's listing would go on for ever: sending the call again reads the same pages, so it is not retryable. */
function endlessListing(subject: string, page: number, why: string): MirrorError {
  const message = `${subject}: Feishu's page ${page} of blocks ${why}; the listing would never end`;
  return new MirrorError('UPSTREAM_ERROR', message, { retryable: false });
}

interface Page {
  code: number;
  /** The page's blocks of the types kept. */
  blocks: DocumentBlock[];
  /** How many blocks the page held. */
  count: number;
  hasMore: boolean;
  pageToken?: string;
}

/**
 * Reads one page, `{"code":0,"data":{"items":[…],"has_more":…,"page_token":"…"}}`, checking its
 * shape, and keeps of its blocks those of the types in `kept` (block type → the field holding
 * the token).
 */
function readPage(text: string, subject: string, page: number, kept: ReadonlyMap<number, string>): Page {
  const wrong = (what: string): MirrorError =>
    new MirrorError('UPSTREAM_ERROR', `${subject}: Feishu's page ${page} of blocks is ${what}`);
  const parsed = readFeishuAnswer(text, wrong);
  if (parsed.code !== 0) return { code: parsed.code, blocks: [], count: 0, hasMore: false };
  const data = parsed.data;
  if (!isRecord(data) || !Array.isArray(data.items)) throw wrong('without data.items');
  const blocks: DocumentBlock[] = [];
  data.items.forEach((item, index) => {
    if (!isRecord(item) || typeof item.block_id !== 'string' || typeof item.block_type !== 'number') {
      throw wrong(`holding a block (number ${index + 1}) without block_id or block_type`);
    }
    const field = kept.get(item.block_type);
    if (field === undefined) return;
    const token = tokenIn(item[field]);
    blocks.push({ blockId: item.block_id, blockType: item.block_type, ...(token === undefined ? {} : { token }) });
  });
  const pageToken = typeof data.page_token === 'string' && data.page_token !== '' ? data.page_token : undefined;
  return { code: 0, blocks, count: data.items.length, hasMore: data.has_more === true, pageToken };
}

/** The token a block's field holds (`{"token": "…"}`), when it is a string that is not empty. */
function tokenIn(holder: unknown): string | undefined {
  if (!isRecord(holder)) return undefined;
  return typeof holder.token === 'string' && holder.token !== '' ? holder.token : undefined;
}

/**
 * A Feishu JSON answer, `{"code": …, …}`, or the error `wrong` makes of what it is instead.
 *
 * @example
 * const { code, data } = readFeishuAnswer(text, (what) => new MirrorError('UPSTREAM_ERROR', `the page is ${what}`));
 */
export function readFeishuAnswer(
  text: string,
  wrong: (what: string) => MirrorError,
): Record<string, unknown> & { code: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw wrong('not JSON');
  }
  if (!isRecord(parsed) || typeof parsed.code !== 'number') throw wrong('not a Feishu answer');
  return parsed as Record<string, unknown> & { code: number };
}

/** Whether a JSON value is an object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
