import type { EndpointDescription } from '../endpoints';
import { MirrorError } from '../errors/MirrorError';
import { logger } from '../runtime/logger';
import { holdsSecret, redact } from '../runtime/redact';
import { secondsUntilNextFeishuDay } from './feishuDay';
import { FEISHU_ERRORS, type FeishuCodeRule } from './feishuErrorTable';
import type { HeaderReader } from '../clients/feishuHttp';

/** A Feishu answer that is not the image, as read off the wire. */
export interface FeishuFailureResponse {
  status: number;
  headers: HeaderReader;
  /** The start of the body (bounded), as text. */
  body: string;
}

/** Where the failing call was made, for the message. */
export interface FeishuCallContext {
  /** The image endpoint called; absent for the token endpoint. */
  endpoint?: EndpointDescription;
  /** e.g. "whiteboard thumbnail wb_123". */
  subject: string;
  withUserToken: boolean;
}

/** What to do about a failure, and the error that stands if nothing more is tried. */
export interface FeishuFailure {
  error: MirrorError;
  /** `quotaUsedUp`: the endpoint's daily quota is spent; no call is worth sending before the next day. */
  handling: 'retry' | 'newToken' | 'quotaUsedUp' | 'none';
  /** Feishu's own advice on how long to wait (x-ogw-ratelimit-reset), in seconds. */
  resetSeconds?: number;
}

/**
 * Translates a failed Feishu answer (any status but 200 on a download, or a JSON body with
 * `code != 0`) into the product's error and the handling the error table prescribes.
 *
 * @example
 * const { error, handling } = translateFeishuFailure(response, {
 *   endpoint: im,
 *   subject: 'im image k1',
 *   withUserToken: false,
 * });
 */
export function translateFeishuFailure(response: FeishuFailureResponse, context: FeishuCallContext): FeishuFailure {
  const { code, msg, bodyLogId } = parseFeishuBody(response.body);
  const logId = feishuLogId(response.headers) ?? acceptedLogId(bodyLogId);
  const resetSeconds = rateLimitReset(response.headers);
  const base = { logId, feishuCode: code, feishuMsg: msg === undefined ? undefined : redact(msg).slice(0, 500) };
  const rule = code === undefined ? undefined : FEISHU_ERRORS[code];

  if (rule?.dailyQuota && resetSeconds !== undefined && resetSeconds > LONGEST_WINDOW_SECONDS) {
    const meaning = "the app's daily quota of calls to this API is used up until the next Feishu day (midnight UTC+8)";
    return {
      error: new MirrorError('RATE_LIMITED', `${context.subject}: ${meaning} (Feishu code ${code})`, {
        ...base,
        retryable: false,
        retryAfterSeconds: secondsUntilNextFeishuDay(Date.now()),
      }),
      handling: 'quotaUsedUp',
      resetSeconds,
    };
  }

  if (rule) {
    const errorCode = context.withUserToken && rule.withUserToken ? rule.withUserToken : rule.code;
    const handling = context.withUserToken && rule.handling === 'newToken' ? 'none' : (rule.handling ?? 'none');
    const retryAfterSeconds =
      errorCode === 'RATE_LIMITED' ? (resetSeconds ?? (rule.quota ? secondsUntilNextMonth(new Date()) : 1)) : undefined;
    const meaning = context.endpoint?.codeMeanings?.[code as number] ?? rule.meaning;
    const message = `${context.subject}: ${describe({ ...rule, meaning }, errorCode, context)} (Feishu code ${code})`;
    return {
      error: new MirrorError(errorCode, message, { ...base, retryable: rule.retryable, retryAfterSeconds }),
      handling,
      resetSeconds,
    };
  }

  if (code === undefined && response.status === 404) {
    return {
      error: new MirrorError(
        'MISCONFIGURED',
        `${context.subject}: Feishu's gateway does not know the path (plain 404); check FEISHU_BASE_URL`,
        base,
      ),
      handling: 'none',
    };
  }
  const shown = code === undefined ? `HTTP ${response.status}` : `HTTP ${response.status} with unknown code ${code}`;
  if (response.status === 429) {
    return {
      error: new MirrorError('RATE_LIMITED', `${context.subject}: Feishu rate-limited the app (${shown})`, {
        ...base,
        retryAfterSeconds: resetSeconds ?? 1,
      }),
      handling: 'retry',
      resetSeconds,
    };
  }
  const transient = response.status >= 500;
  return {
    error: new MirrorError('UPSTREAM_ERROR', `${context.subject}: Feishu failed (${shown})`, {
      ...base,
      retryable: transient,
    }),
    handling: transient ? 'retry' : 'none',
  };
}

function describe(rule: FeishuCodeRule, errorCode: string, context: FeishuCallContext): string {
  if (errorCode === 'UNAUTHORIZED') return "Feishu rejected the caller's user access token";
  let text = rule.meaning;
  if (rule.setting && errorCode === 'MISCONFIGURED') {
    const scope = context.endpoint?.scope && text.includes('scope') ? ` (${context.endpoint.scope})` : '';
    text += `${scope}; check ${rule.setting}`;
  }
  return text;
}

/** Reads `{code, msg, error.log_id}` from a Feishu JSON body, if it is one. */
export function parseFeishuBody(body: string): { code?: number; msg?: string; bodyLogId?: string } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const record = parsed as { code?: unknown; msg?: unknown; error?: { log_id?: unknown } };
    return {
      code: typeof record.code === 'number' ? record.code : undefined,
      msg: typeof record.msg === 'string' ? record.msg : undefined,
      bodyLogId: typeof record.error?.log_id === 'string' ? record.error.log_id : undefined,
    };
  } catch {
    return {};
  }
}

/** Feishu's id of a call, for support: `X-Tt-Logid`, else `X-Request-Id`. */
export function feishuLogId(headers: HeaderReader): string | undefined {
  return acceptedLogId(headers.get('x-tt-logid') ?? headers.get('x-request-id') ?? undefined);
}

/** Real log ids are about 30 letters and digits; anything else is no log id. */
const LOG_ID = /^[\x21-\x7e]{1,64}$/;

/**
 * A log id as Feishu (or whatever answered in its place) sent it, kept only when it is short
 * printable ASCII holding no secret: it goes into answers, logs and S3 metadata as it is.
 */
function acceptedLogId(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (LOG_ID.test(raw) && !holdsSecret(raw)) return raw;
  logger.warn('Feishu log id dropped', {
    reason: 'not up to 64 printable ASCII characters without a token',
    length: raw.length,
  });
  return undefined;
}

/** Feishu's windows are a second or a minute: a reset later than this is no window of theirs. */
export const MAX_RESET_SECONDS = 3600;

/** Feishu's longest rate window; a longer reset on a daily-quota code means the day's calls are spent. */
const LONGEST_WINDOW_SECONDS = 60;

function rateLimitReset(headers: HeaderReader): number | undefined {
  const raw = headers.get('x-ogw-ratelimit-reset') ?? headers.get('retry-after');
  if (raw === null || !/^\d+(\.\d+)?$/.test(raw.trim())) return undefined;
  // Digits past what a number holds read as Infinity, which the ceiling takes.
  return Math.min(MAX_RESET_SECONDS, Math.max(1, Math.ceil(Number(raw))));
}

/**
 * A used-up monthly quota comes back with the month: the seconds until the next month starts
 * in UTC, the later of Feishu's (UTC+8) and Lark's month boundaries.
 */
export function secondsUntilNextMonth(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}
