import type { IncomingHttpHeaders } from 'node:http';
import { answerErrorPlan } from './answerDownload';
import { type DocumentContext, pageSizeOf } from './answerDocumentBlocks';
import { authorizeDownload } from './authorizeDownload';
import { checkRateLimit } from './checkRateLimit';
import type { EndpointDescription } from './endpoints';
import { planContent } from './planContent';
import { errorReply, jsonReply, type Reply } from './replies';
import type { ServedSpaces } from './servedSpaces';

/** What the listing endpoints need beyond what the blocks endpoint needs. */
export interface ListingContext extends DocumentContext {
  spaces: ServedSpaces;
}

/** The largest `page_size` of each listing, which is also its default, and the code of one out of range. */
const pageSizes = {
  wikiNodes: { max: 50, invalid: { status: 400, code: 131002 } },
  driveFiles: { max: 200, invalid: { status: 400, code: 1064001 } },
} as const;

/**
 * Answers `GET /open-apis/wiki/v2/spaces/:space_id/nodes` (`parent_node_token`, `page_size`,
 * `page_token`) and `GET /open-apis/drive/v1/files` (`folder_token`, `page_size`, `page_token`):
 * credentials, then the rate limit, then the id's rules (servedSpaces.ts), then `page_size` and
 * `page_token` (one the sandbox issued for this parent). Wiki answers `data.items` and
 * `data.page_token`; Drive `data.files` and `data.next_page_token`.
 *
 * @example
 * answerListing(headers, wikiNodesEndpoint, ['wikigen-2000'], new URLSearchParams('page_size=50'), context, logId);
 */
export function answerListing(
  headers: IncomingHttpHeaders,
  description: EndpointDescription,
  ids: readonly string[],
  query: URLSearchParams,
  context: ListingContext,
  logId: string,
): Reply {
  const failure = authorizeDownload(headers, description, context.tokens, context.helpdesk, Date.now());
  if (failure !== undefined) return errorReply(failure.status, failure.code, undefined, logId);
  const refused = checkRateLimit(description, context, Date.now(), logId);
  if (refused !== undefined) return refused;

  const wiki = description.name === 'wikiNodes';
  const id = (wiki ? ids[0] : query.get('folder_token')) ?? '';
  const error = answerErrorPlan(planContent([id]), description, logId);
  if (error !== undefined) return error;
  const sizes = wiki ? pageSizes.wikiNodes : pageSizes.driveFiles;
  const pageSize = pageSizeOf(query, sizes.max);
  if (pageSize === undefined) return errorReply(sizes.invalid.status, sizes.invalid.code, undefined, logId);
  const pageToken = query.get('page_token');
  const invalid = errorReply(description.invalidParam.status, description.invalidParam.code, undefined, logId);

  if (wiki) {
    const parent = query.get('parent_node_token');
    const page = context.spaces.wikiPage(
      id,
      parent === null || parent === '' ? undefined : parent,
      pageSize,
      pageToken,
    );
    if (page === 'notFound') return errorReply(400, 131005, undefined, logId);
    if (page === 'badPageToken') return invalid;
    const data = { items: page.items, has_more: page.pageToken !== undefined, page_token: page.pageToken ?? '' };
    return jsonReply(200, { code: 0, msg: 'success', data });
  }
  const page = context.spaces.drivePage(id, pageSize, pageToken);
  if (page === 'notFound') return errorReply(404, 1061003, undefined, logId);
  if (page === 'badPageToken') return invalid;
  const data = {
    files: page.items,
    has_more: page.pageToken !== undefined,
    ...(page.pageToken === undefined ? {} : { next_page_token: page.pageToken }),
  };
  return jsonReply(200, { code: 0, msg: 'success', data });
}
