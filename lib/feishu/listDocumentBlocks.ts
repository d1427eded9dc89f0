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

/** One block of a document as Feishu lists it; only the fields the product reads. */
export interface DocumentBlock {
  blockId: string;
  blockType: number;
  /** The block's own fields by name (`image`, `board`, …), as Feishu sent them. */
  fields: Readonly<Record<string, unknown>>;
}

/** A document to list. */
export interface DocumentListing {
  endpoint: EndpointDescription;
  source: Readonly<Record<string, string>>;
  userAccessToken?: string;
  limiter?: CallLimiter;
}

/**
 * A page of 500 blocks is a few hundred kilobytes of JSON; a page larger than this is no page
 * Feishu sends, and is refused rather than held.
 */
export const MAX_PAGE_BYTES = 8 * 1024 * 1024;

/** No document needs more pages than this; a listing that never ends is Feishu misbehaving. */
export const MAX_PAGES = 2000;

/**
 * Every block of a document in document order, read a page at a time (`page_size` from the
 * endpoint's description, following `page_token` while `has_more`), each call within the
 * endpoint's rate limit and with the retries and error table of every Feishu call.
 *
 * @example
 * const blocks = await listDocumentBlocks({ endpoint: docx, source: { documentId } }, settings, deadline, clients);
 */
export async function listDocumentBlocks(
  listing: DocumentListing,
  settings: Settings,
  deadline: Deadline,
  clients: FeishuClients,
): Promise<DocumentBlock[]> {
  const { endpoint, source, userAccessToken, limiter } = listing;
  const subject = subjectOf(endpoint, source);
  const pageSize = endpoint.document?.pageSize ?? 500;
  const blocks: DocumentBlock[] = [];
  let pageToken: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const url = feishuImageUrl(settings.feishuBaseUrl, endpoint, source, {
      page_size: String(pageSize),
      ...(pageToken ? { page_token: pageToken } : {}),
    });
    const { response } = await callFeishu(
      { endpoint, url, subject, userAccessToken, limiter },
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
    const answer = readPage(text, subject, page);
    if (answer.code !== 0) {
      const context = { endpoint, subject, withUserToken: userAccessToken !== undefined };
      throw translateFeishuFailure({ status: 200, headers: response.headers, body: text }, context).error;
    }
    blocks.push(...answer.items);
    if (!answer.hasMore) return blocks;
    if (answer.pageToken === undefined || answer.pageToken === pageToken) {
      throw new MirrorError(
        'UPSTREAM_ERROR',
        `${subject}: Feishu said more blocks follow page ${page} but gave no new page_token`,
      );
    }
    pageToken = answer.pageToken;
  }
  throw new MirrorError('UPSTREAM_ERROR', `${subject}: Feishu listed more than ${MAX_PAGES} pages of blocks`);
}

interface Page {
  code: number;
  items: DocumentBlock[];
  hasMore: boolean;
  pageToken?: string;
}

/** Reads one page, `{"code":0,"data":{"items":[…],"has_more":…,"page_token":"…"}}`, checking its shape. */
function readPage(text: string, subject: string, page: number): Page {
  const wrong = (what: string): MirrorError =>
    new MirrorError('UPSTREAM_ERROR', `${subject}: Feishu's page ${page} of blocks is ${what}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw wrong('not JSON');
  }
  if (!isRecord(parsed) || typeof parsed.code !== 'number') throw wrong('not a Feishu answer');
  if (parsed.code !== 0) return { code: parsed.code, items: [], hasMore: false };
  const data = parsed.data;
  if (!isRecord(data) || !Array.isArray(data.items)) throw wrong('without data.items');
  const items = data.items.map((item, index): DocumentBlock => {
    if (!isRecord(item) || typeof item.block_id !== 'string' || typeof item.block_type !== 'number') {
      throw wrong(`holding a block (number ${index + 1}) without block_id or block_type`);
    }
    return { blockId: item.block_id, blockType: item.block_type, fields: item };
  });
  const pageToken = typeof data.page_token === 'string' && data.page_token !== '' ? data.page_token : undefined;
  return { code: 0, items, hasMore: data.has_more === true, pageToken };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
