import type { APIGatewayProxyResult } from 'aws-lambda';
import { toErrorBody } from '../errors/errorBody';
import type { MirrorError } from '../errors/MirrorError';
import type { DocumentAnswer } from '../mirror/DocumentAnswer';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { logger } from '../runtime/logger';
import { isPrintableAscii } from '../runtime/printableAscii';

// Answers hold short-lived presigned URLs: no cache along the way may keep them.
const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * The HTTP answer of a success: the JSON answer, or a 302 to the image's URL when asked to
 * redirect. A document's answer is 200 whenever the document could be read, however many of its
 * images failed, as a batch's is.
 */
export function httpSuccess(answer: MirrorAnswer | DocumentAnswer, redirect: boolean): APIGatewayProxyResult {
  if (redirect && 'url' in answer)
    return { statusCode: 302, headers: safeHeaders({ ...NO_STORE, Location: answer.url }), body: '' };
  return {
    statusCode: 200,
    headers: safeHeaders({ ...NO_STORE, 'Content-Type': 'application/json' }),
    body: JSON.stringify(answer),
  };
}

/** The HTTP answer of a failure: the error body with the table's status, and Retry-After when known. */
export function httpFailure(error: MirrorError): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...NO_STORE, 'Content-Type': 'application/json' };
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  return {
    statusCode: error.status,
    headers: safeHeaders(headers),
    body: JSON.stringify(toErrorBody(error)),
  };
}

/** The headers whose values are printable ASCII; any other would break the answer, so it is left out and logged. */
function safeHeaders(headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (isPrintableAscii(value)) continue;
    logger.error('answer header dropped', { name, reason: 'not printable ASCII' });
    delete headers[name];
  }
  return headers;
}
