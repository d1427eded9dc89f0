import type { IncomingHttpHeaders } from 'node:http';
import { answerErrorPlan, type DownloadContext, refuseUserOnly } from './answerDownload';
import { authorizeDownload } from './authorizeDownload';
import { checkRateLimit } from './checkRateLimit';
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

function pageSizeOf(query: URLSearchParams): number | undefined {
  const text = query.get('page_size');
  if (text === null) return maxPageSize;
  if (!/^\d{1,4}$/.test(text)) return undefined;
  const size = Number(text);
  return size >= 1 && size <= maxPageSize ? size : undefined;
}

/**
 * Answers `GET /open-apis/docx/v1/documents/:document_id/blocks`: credentials, then the rate
 * limit, then the document id's rules (servedDocuments.ts), then `page_size` (1 to 500, default
 * 500) and `page_token` (one the sandbox issued for this document), both else 400/1770001.
 * `document_revision_id` is accepted and ignored. The page's token is the id of its first block.
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
  const next = blocks[end];
  if (next !== undefined) context.documents.issuePageToken(documentId, next.block_id, end);
  const data = {
    items: blocks.slice(start, end),
    has_more: next !== undefined,
    ...(next === undefined ? {} : { page_token: next.block_id }),
  };
  return jsonReply(200, { code: 0, msg: 'success', data });
}
