import type { IncomingHttpHeaders } from 'node:http';
import { answerErrorPlan, type DownloadContext, refuseUserOnly } from './answerDownload';
import { authorizeDownload } from './authorizeDownload';
import { checkRateLimit } from './checkRateLimit';
import { derivedBlockId } from './documentBlocks';
import type { EndpointDescription } from './endpoints';
import { planContent } from './planContent';
import { errorReply, jsonReply, type Reply } from './replies';
import type { ServedDocuments } from './servedDocuments';

/** The largest `page_size` the blocks endpoint takes, and its default. */
export const maxPageSize = 500;

/** What the blocks endpoint needs beyond what every request behind a token needs. */
export interface DocumentContext extends DownloadContext {
  documents: ServedDocuments;
}

/** The query's `page_size`, from 1 to `max` (also its default), or undefined when it is anything else. */
export function pageSizeOf(query: URLSearchParams, max = maxPageSize): number | undefined {
  const text = query.get('page_size');
  if (text === null) return max;
  if (!/^\d{1,4}$/.test(text)) return undefined;
  const size = Number(text);
  return size >= 1 && size <= max ? size : undefined;
}

/**
 * Answers `GET /open-apis/docx/v1/documents/:document_id/blocks`: credentials, then the rate
 * limit, then the document id's rules (servedDocuments.ts), then `page_size` (1 to 500, default
 * 500) and `page_token` (one the sandbox issued for this document), both else 400/1770001.
 * `document_revision_id` is accepted and ignored. The page's token is the id of its first block.
 * A registered document whose listing never ends goes on past its last page as its ListingEnd says.
 *
 * @example
 * answerDocumentBlocks(headers, docxBlocksEndpoint, 'docgen-600-3-100', new URLSearchParams(), context, logId);
 */
export function answerDocumentBlocks(
  headers: IncomingHttpHeaders,
  description: EndpointDescription,
  documentId: string,
  query: URLSearchParams,
  context: DocumentContext,
  logId: string,
): Reply {
  const invalid = errorReply(description.invalidParam.status, description.invalidParam.code, undefined, logId);
  const failure = authorizeDownload(headers, description, context.tokens, context.helpdesk, Date.now());
  if (failure !== undefined) return errorReply(failure.status, failure.code, undefined, logId);

  const refused = checkRateLimit(description, context, Date.now(), logId);
  if (refused !== undefined) return refused;

  // Only the rules that answer an error apply to a document id; the rest choose image bodies.
  const error = answerErrorPlan(planContent([documentId]), description, logId);
  if (error !== undefined) return error;
  const forbidden = refuseUserOnly(headers, description, documentId, context, logId);
  if (forbidden !== undefined) return forbidden;

  const blocks = context.documents.blocksOf(documentId);
  if (blocks === undefined) return errorReply(404, 1770002, undefined, logId);

  const pageSize = pageSizeOf(query);
  if (pageSize === undefined) return invalid;
  const pageToken = query.get('page_token');
  const start = pageToken === null ? 0 : context.documents.pageStartOf(documentId, pageToken);
  if (start === undefined) return invalid;

  const end = Math.min(blocks.length, start + pageSize);
  const following = blocks[end]?.block_id;
  if (following !== undefined) context.documents.issuePageToken(documentId, following, end);
  const next = following ?? tokenPastTheEnd(documentId, blocks.length, context.documents);
  const data = {
    items: blocks.slice(start, end),
    has_more: next !== undefined,
    ...(next === undefined ? {} : { page_token: next }),
  };
  return jsonReply(200, { code: 0, msg: 'success', data });
}

/**
 * The page token the last page gives, for a document whose listing never ends (ListingEnd):
 * the second page's again (`cycles`), or a new token, issued here, of an empty page (`empty-pages`).
 */
function tokenPastTheEnd(documentId: string, length: number, documents: ServedDocuments): string | undefined {
  switch (documents.endingOf(documentId)) {
    case 'ends':
      return undefined;
    case 'cycles':
      return documents.firstPageToken(documentId);
    case 'empty-pages': {
      // An id no block of the document has (numbered past its last block), for a page past its end.
      const token = derivedBlockId(documentId, length + documents.pageTokensIssued(documentId));
      documents.issuePageToken(documentId, token, length);
      return token;
    }
  }
}
