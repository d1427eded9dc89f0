import type { MirrorError } from '../errors/MirrorError';
import { tenantTokenRequestCount } from '../feishu/tenantToken';
import { mirrorImage, type MirrorOutcome } from './mirrorImage';
import type { MirrorRequest } from './MirrorRequest';
import { logger } from '../runtime/logger';
import { redact } from '../runtime/redact';
import type { Invocation } from './Invocation';

/**
 * Mirrors one image within the invocation and logs its success; a failure is thrown as a
 * MirrorError for the caller to answer and log (`logFailure`) once.
 */
export async function mirrorLogged(invocation: Invocation, request: MirrorRequest): Promise<MirrorOutcome> {
  const started = Date.now();
  const { endpoint, trigger } = invocation;
  const outcome = await mirrorImage(invocation, request);
  const { answer } = outcome;
  logger.info('image mirrored', {
    kind: endpoint.kind,
    source: answer.source,
    key: answer.key,
    cached: answer.cached,
    size: answer.size,
    feishuAttempts: outcome.feishuAttempts,
    feishuLogId: outcome.logId,
    ...invocation.origin,
    transport: trigger,
    durationMs: Date.now() - started,
    containerTokenRequests: tenantTokenRequestCount(),
  });
  return outcome;
}

/** What a failure line says the work was: the function, how it came in, and where it came from. */
export type FailureScope = Pick<Invocation, 'endpoint' | 'trigger' | 'origin' | 'metrics'>;

/**
 * Logs a failure once, as the one record of it (nobody reads the answers of queued work): the
 * reason and code, the ids of the image or document (`error.source`), where the work came from
 * (an SQS message's id, a manifest's key) and the redacted cause; an error from 500 up, else a
 * warning. The reason goes under `reason`: the logger keeps `message` for the line's own text.
 * The failure, or the `failures` one line stands for, count in the Errors metric of its code.
 *
 * @example
 * logFailure(invocation, error, Date.now() - started);
 */
export function logFailure(scope: FailureScope, error: MirrorError, durationMs: number, failures = 1): void {
  scope.metrics.add('Errors', failures, { code: error.code });
  const fields = {
    kind: scope.endpoint.kind,
    code: error.code,
    reason: redact(error.message),
    retryable: error.retryable,
    source: error.source,
    ...scope.origin,
    feishuCode: error.feishuCode,
    feishuLogId: error.logId,
    retryAfterSeconds: error.retryAfterSeconds,
    transport: scope.trigger,
    durationMs,
    cause: describeCause(error.cause),
  };
  if (error.status >= 500) logger.error('image not mirrored', fields);
  else logger.warn('image not mirrored', fields);
}

/** A failure's cause for its log line: name and message (and its own cause's), redacted, 1,000 characters at most. */
export function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}${innerCause(cause)}` : String(cause);
  return redact(text).slice(0, 1000);
}

function innerCause(error: Error): string {
  return error.cause instanceof Error ? ` (${error.cause.name}: ${error.cause.message})` : '';
}
