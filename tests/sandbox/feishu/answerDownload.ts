import type { IncomingHttpHeaders } from 'node:http';
import { accessTokenOf, authorizeDownload, tokenKindOf, type HelpdeskCredentials } from './authorizeDownload';
import { bigBodyChunks, bigBodyMaxBytes } from './bigBody';
import { checkQuery } from './checkQuery';
import { checkRateLimit, type RateContext } from './checkRateLimit';
import { delay } from './delay';
import { headerLimitOf, type EndpointDescription } from './endpoints';
import { isRateLimitCode, lookUpError } from './errorCatalog';
import { contentDispositionOf } from './fileNames';
import { type ContentPlan, planContent } from './planContent';
import { contentReply, errorReply, rateLimitReply, type Reply } from './replies';
import type { TokenStore } from './TokenStore';

/** What a request behind a token needs beyond the request itself. */
export interface DownloadContext extends RateContext {
  tokens: TokenStore;
  helpdesk: HelpdeskCredentials;
  /** Aborts when the sandbox closes, cutting `slow-<ms>` waits short. */
  closing: AbortSignal;
}

/**
 * Answers a download: credentials, then the rate limit (and the daily quota), then `useronly` ids
 * (readable with a user token only: the tenant token is forbidden them), then the query
 * (checkQuery.ts), then the id rules of planContent.ts; document media name their file
 * (fileNames.ts), some after the request's own access token. Resolves undefined when the
 * sandbox closed while the answer was waiting.
 *
 * @example
 * const reply = await answerDownload(request.headers, describeEndpoint('im'), ['img_1'], query, context, logId);
 */
export async function answerDownload(
  headers: IncomingHttpHeaders,
  description: EndpointDescription,
  ids: readonly string[],
  query: URLSearchParams,
  context: DownloadContext,
  logId: string,
): Promise<Reply | undefined> {
  const failure = authorizeDownload(headers, description, context.tokens, context.helpdesk, Date.now());
  if (failure !== undefined) return errorReply(failure.status, failure.code, undefined, logId);

  const refused = checkRateLimit(description, context, Date.now(), logId);
  if (refused !== undefined) return refused;

  const forbidden = refuseUserOnly(headers, description, ids.at(-1) ?? '', context, logId);
  if (forbidden !== undefined) return forbidden;

  const queryFailure = checkQuery(description, ids, query);
  if (queryFailure !== undefined) return errorReply(queryFailure.status, queryFailure.code, undefined, logId);

  const reply = await contentOf(description, ids, context, logId);
  if (reply?.status !== 200 || !description.namesFile) return reply;
  const disposition = contentDispositionOf(ids.at(-1) ?? '', reply.headers['Content-Type'], accessTokenOf(headers));
  return disposition === undefined
    ? reply
    : { ...reply, headers: { ...reply.headers, 'Content-Disposition': disposition } };
}

/**
 * The 403 of a `useronly` id asked for with the tenant token, on endpoints that have such ids;
 * undefined for any other request.
 *
 * @example
 * const forbidden = refuseUserOnly(request.headers, describeEndpoint('driveMedia'), 'useronly_1', context, logId);
 */
export function refuseUserOnly(
  headers: IncomingHttpHeaders,
  description: EndpointDescription,
  id: string,
  context: DownloadContext,
  logId: string,
): Reply | undefined {
  if (
    description.userOnly === undefined ||
    !id.startsWith('useronly') ||
    tokenKindOf(headers, context.tokens, Date.now()) !== 'tenant'
  ) {
    return undefined;
  }
  return errorReply(description.userOnly.status, description.userOnly.code, undefined, logId);
}

/**
 * The error answer of a plan that is one (an invalid id, `err-<code>`, `err-http-5NN`), with the
 * endpoint's own codes; undefined for a plan that serves a body.
 *
 * @example
 * answerErrorPlan(planContent(['err-1770002']), docxBlocksEndpoint, logId); // 404/1770002
 */
export function answerErrorPlan(plan: ContentPlan, description: EndpointDescription, logId: string): Reply | undefined {
  switch (plan.type) {
    case 'invalidId':
      return errorReply(description.invalidParam.status, description.invalidParam.code, undefined, logId);
    case 'error': {
      const entry = lookUpError(plan.code);
      // The id names no real window, so "try again next second" is the honest reset.
      if (isRateLimitCode(plan.code))
        return rateLimitReply(entry.status, entry.code, headerLimitOf(description), 1, logId);
      return errorReply(entry.status, entry.code, entry.msg, logId);
    }
    case 'internalError':
      return errorReply(plan.status, description.internalErrorCode, 'internal error', logId);
    default:
      return undefined;
  }
}

/** The answer the id rules of planContent.ts choose. */
async function contentOf(
  description: EndpointDescription,
  ids: readonly string[],
  context: DownloadContext,
  logId: string,
): Promise<Reply | undefined> {
  const plan = planContent(ids);
  switch (plan.type) {
    case 'big': {
      const length = Math.min(plan.length, bigBodyMaxBytes);
      return contentReply({ length, chunks: () => bigBodyChunks(length), chunked: plan.chunked }, 'image/png');
    }
    case 'body':
      if (plan.delayMs > 0 && !(await delay(plan.delayMs, context.closing))) return undefined;
      return contentReply(plan.bytes, plan.contentType);
    default:
      return answerErrorPlan(plan, description, logId);
  }
}
