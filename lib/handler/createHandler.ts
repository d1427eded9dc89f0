import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { httpFailure, httpSuccess } from '../answer/httpAnswer';
import type { EndpointDescription } from '../endpoints';
import { toMirrorError } from '../errors/errorBody';
import { tenantTokenRequestCount } from '../feishu/tenantToken';
import type { MirrorError } from '../errors/MirrorError';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { mirrorImage } from '../mirror/mirrorImage';
import { callerWaitsMs, detectTransport } from '../request/detectTransport';
import { parseRequest } from '../request/parseRequest';
import { Deadline } from '../runtime/Deadline';
import { logger } from '../runtime/logger';
import { redact } from '../runtime/redact';
import { loadSettings } from '../settings/loadSettings';

/** A function's Lambda handler: HTTP events get HTTP answers, direct payloads the answer object. */
export type MirrorHandler = (event: unknown, context?: Partial<Context>) => Promise<MirrorAnswer | APIGatewayProxyResult>;

/**
 * The edge around the data path: reads the settings and the event, runs `mirrorImage`, and
 * translates the outcome once, into an HTTP answer or, for direct invocations, the answer
 * object or a thrown error whose `name` (`NotFoundError`, …) Step Functions can match.
 *
 * @example
 * export const handler = createHandler(whiteboard);
 */
export function createHandler(endpoint: EndpointDescription): MirrorHandler {
  return async (event, context) => {
    const started = Date.now();
    const transport = detectTransport(event);
    if (context?.awsRequestId) logger.appendKeys({ requestId: context.awsRequestId });
    try {
      const settings = loadSettings(process.env, endpoint);
      const request = parseRequest(event, transport, endpoint, settings);
      const outcome = await mirrorImage(endpoint, request, settings, Deadline.fromContext(context, callerWaitsMs(event, transport)));
      const { answer } = outcome;
      logger.info('image mirrored', {
        kind: endpoint.kind, source: answer.source, key: answer.key, cached: answer.cached, size: answer.size,
        feishuAttempts: outcome.feishuAttempts, feishuLogId: outcome.logId, transport, durationMs: Date.now() - started,
        containerTokenRequests: tenantTokenRequestCount(),
      });
      return transport === 'direct' ? answer : httpSuccess(answer, request.redirect);
    } catch (thrown) {
      const error = toMirrorError(thrown);
      logFailure(endpoint, error, transport, Date.now() - started);
      if (transport === 'direct') throw error;
      return httpFailure(error);
    }
  };
}

function logFailure(endpoint: EndpointDescription, error: MirrorError, transport: string, durationMs: number): void {
  const fields = {
    kind: endpoint.kind, code: error.code, message: error.message, retryable: error.retryable, feishuCode: error.feishuCode,
    feishuLogId: error.logId, transport, durationMs, cause: describeCause(error.cause),
  };
  if (error.status >= 500) logger.error('image not mirrored', fields);
  else logger.warn('image not mirrored', fields);
}

function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}${cause.cause instanceof Error ? ` (${cause.cause.name}: ${cause.cause.message})` : ''}` : String(cause);
  return redact(text).slice(0, 1000);
}
