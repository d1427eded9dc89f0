import type { IncomingHttpHeaders } from 'node:http';
import { authorizeDownload, tokenKindOf, type HelpdeskCredentials } from './authorizeDownload';
import { bigBodyChunks, bigBodyMaxBytes } from './bigBody';
import { delay } from './delay';
import { headerLimitOf, type DownloadEndpointDescription } from './endpoints';
import { isRateLimitCode, lookUpError } from './errorCatalog';
import type { FixedWindowRateLimiter } from './FixedWindowRateLimiter';
import { planContent } from './planContent';
import { contentReply, errorReply, rateLimitReply, type Reply } from './replies';
import type { TokenStore } from './TokenStore';

/** What a download needs beyond the request itself. */
export interface DownloadContext {
  tokens: TokenStore;
  /** Undefined when rate limits are off. */
  limiter: FixedWindowRateLimiter | undefined;
  helpdesk: HelpdeskCredentials;
  /** Aborts when the sandbox closes, cutting `slow-<ms>` waits short. */
  closing: AbortSignal;
}

/**
 * Answers one of the four downloads: credentials, then the rate limit, then `useronly` ids
 * (readable with a user token only: the tenant token is forbidden them), then the id rules of
 * planContent.ts. Resolves undefined when the sandbox closed while the answer was waiting.
 *
 * @example
 * const reply = await answerDownload(request.headers, describeEndpoint('im'), ['img_1'], context, logId);
 */
export async function answerDownload(
  headers: IncomingHttpHeaders,
  description: DownloadEndpointDescription,
  ids: readonly string[],
  context: DownloadContext,
  logId: string,
): Promise<Reply | undefined> {
  const failure = authorizeDownload(headers, description, context.tokens, context.helpdesk, Date.now());
  if (failure !== undefined) return errorReply(failure.status, failure.code, undefined, logId);

  if (context.limiter !== undefined) {
    const decision = context.limiter.take(description.name, description.rateWindows, Date.now());
    if (!decision.allowed)
      return rateLimitReply(429, description.rateLimitCode, decision.limit, decision.resetSeconds, logId);
  }

  if (
    description.userOnly !== undefined &&
    ids.at(-1)?.startsWith('useronly') &&
    tokenKindOf(headers, context.tokens, Date.now()) === 'tenant'
  ) {
    return errorReply(description.userOnly.status, description.userOnly.code, undefined, logId);
  }

  const plan = planContent(ids);
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
    case 'big': {
      const length = Math.min(plan.length, bigBodyMaxBytes);
      return contentReply({ length, chunks: () => bigBodyChunks(length), chunked: plan.chunked }, 'image/png');
    }
    case 'body':
      if (plan.delayMs > 0 && !(await delay(plan.delayMs, context.closing))) return undefined;
      return contentReply(plan.bytes, plan.contentType);
  }
}
