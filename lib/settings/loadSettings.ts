import { calledEndpoints, type EndpointDescription, type RateLimit, type ReceiverDescription } from '../endpoints';
import { misconfigured } from '../errors/MirrorError';
import type { ReceiverSettings, SecretSource, Settings } from './Settings';

type Env = Record<string, string | undefined>;

/** Hard limit of SigV4 presigned URLs: seven days. */
const PRESIGN_CEILING_SECONDS = 604_800;

/**
 * Reads and checks the settings one function needs from its environment. An empty value
 * counts as missing. Anything wrong is a MISCONFIGURED error naming the setting, never its
 * value, so that one function with incomplete settings does not stop the others.
 *
 * @example
 * const settings = loadSettings(process.env, whiteboard);
 */
export function loadSettings(env: Env, endpoint: EndpointDescription): Settings {
  const presignMaxSeconds = integer(env, 'PRESIGN_MAX_SECONDS', 3600, 1, PRESIGN_CEILING_SECONDS);
  const limit = rateLimit(env, rateLimitSettingName(endpoint), endpoint.rateLimit);
  return {
    feishuBaseUrl: baseUrl(env, 'FEISHU_BASE_URL', 'https://open.feishu.cn'),
    appId: required(env, 'FEISHU_APP_ID'),
    appSecret: secret(env, 'FEISHU_APP_SECRET', 'FEISHU_APP_SECRET_PARAMETER'),
    ...(endpoint.helpdeskAuth
      ? {
          helpdesk: {
            id: required(env, 'FEISHU_HELPDESK_ID'),
            token: secret(env, 'FEISHU_HELPDESK_TOKEN', 'FEISHU_HELPDESK_TOKEN_PARAMETER'),
          },
        }
      : {}),
    bucket: required(env, 'IMAGE_BUCKET'),
    keyPrefix: keyPrefix(env, 'IMAGE_KEY_PREFIX', 'feishu/'),
    presignExpiresSeconds: integer(
      env,
      'PRESIGN_EXPIRES_SECONDS',
      Math.min(900, presignMaxSeconds),
      1,
      presignMaxSeconds,
      'PRESIGN_MAX_SECONDS',
    ),
    presignMaxSeconds,
    whiteboardMaxAgeSeconds: integer(env, 'WHITEBOARD_MAX_AGE_SECONDS', 0, 0, Number.MAX_SAFE_INTEGER),
    maxImageBytes: integer(env, 'MAX_IMAGE_BYTES', 100 * 1024 * 1024, 1, Number.MAX_SAFE_INTEGER),
    s3ForcePathStyle: boolean(env, 'S3_FORCE_PATH_STYLE', false),
    rateLimit: limit,
    rateLimits: Object.fromEntries(
      calledEndpoints(endpoint).map((called) => [
        called.kind,
        called === endpoint ? limit : rateLimit(env, rateLimitSettingName(called), called.rateLimit),
      ]),
    ),
    ...tableName(env, 'RATE_LIMIT_TABLE'),
    // As many in flight as may start in a second: the limit is reached while items take up to a second each.
    batchConcurrency: integer(env, 'BATCH_CONCURRENCY', Math.min(limit.perSecond, 64), 1, 64),
    // Lambda returns at most 6 MB; an item's answer is at most about 3.2 KB (measured with a
    // 256-character id and a presigned URL holding the role's session token), so 1,000 fit.
    batchMaxItems: integer(env, 'BATCH_MAX_ITEMS', 1000, 1, 2000),
    manifestMaxBytes: integer(env, 'MANIFEST_MAX_BYTES', 1024 * 1024, 1, 64 * 1024 * 1024),
    scheduledIds: endpoint.scheduledIdsSetting === undefined ? [] : idList(env, endpoint.scheduledIdsSetting),
    ...eventBus(env, 'EVENT_BUS_NAME'),
  };
}

/**
 * Reads and checks the settings of a receiver of Feishu's events, as `loadSettings` does an
 * endpoint's. The Encrypt Key is required: an endpoint taking unencrypted, unsigned events
 * would let anyone who learns its URL queue work, so none is offered.
 *
 * @example
 * const settings = loadReceiverSettings(process.env, feishuEvents);
 */
export function loadReceiverSettings(env: Env, receiver: ReceiverDescription): ReceiverSettings {
  const queueSetting = queueUrlSettingName(receiver.enqueues);
  const queueUrl = required(env, queueSetting);
  if (!/^https?:\/\/\S+$/.test(queueUrl)) throw misconfigured(`the setting ${queueSetting} must be the queue's URL`);
  return {
    appId: required(env, 'FEISHU_APP_ID'),
    encryptKey: secret(env, 'FEISHU_ENCRYPT_KEY', 'FEISHU_ENCRYPT_KEY_PARAMETER'),
    verificationToken: secret(env, 'FEISHU_VERIFICATION_TOKEN', 'FEISHU_VERIFICATION_TOKEN_PARAMETER'),
    queueUrl,
    chatIds: idList(env, 'EVENT_CHAT_IDS'),
    recordTable: tableName(env, 'RATE_LIMIT_TABLE').rateLimitTable,
  };
}

/** The setting holding the URL of an endpoint's queue, named after its function: `MESSAGE_IMAGE_QUEUE_URL`. */
export function queueUrlSettingName(endpoint: Pick<EndpointDescription<string>, 'functionName'>): string {
  return `${endpoint.functionName.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_QUEUE_URL`;
}

/**
 * The setting that overrides an endpoint's rate limit, named after its kind:
 * `WHITEBOARD_RATE_LIMIT`, `BAIKE_RATE_LIMIT`, `HELPDESK_FAQ_RATE_LIMIT`, `IM_RATE_LIMIT`.
 */
export function rateLimitSettingName(endpoint: Pick<EndpointDescription<string>, 'kind'>): string {
  return `${endpoint.kind.toUpperCase().replace(/-/g, '_')}_RATE_LIMIT`;
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === '' ? undefined : raw;
}

function required(env: Env, name: string): string {
  const found = value(env, name);
  if (found === undefined) throw misconfigured(`the setting ${name} is missing`);
  return found;
}

function secret(env: Env, direct: string, parameter: string): SecretSource {
  const given = value(env, direct);
  const parameterName = value(env, parameter);
  if (given !== undefined && parameterName !== undefined) {
    throw misconfigured(`set either ${direct} or ${parameter}, not both`);
  }
  if (given !== undefined) return { value: given, setting: direct };
  if (parameterName !== undefined) {
    // The IAM policy in serverless.yml names the parameter as `…:parameter` + name.
    if (!/^\/[A-Za-z0-9_./-]{1,1010}$/.test(parameterName)) {
      throw misconfigured(
        `the setting ${parameter} must be a full parameter name starting with '/' (letters, digits, _ . - /)`,
      );
    }
    return { parameterName, setting: parameter };
  }
  throw misconfigured(`the setting ${direct} (or ${parameter}) is missing`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number, maxName?: string): number {
  const found = value(env, name);
  if (found === undefined) return fallback;
  const parsed = /^\d+$/.test(found) ? Number(found) : NaN;
  if (!Number.isSafeInteger(parsed)) throw misconfigured(`the setting ${name} must be a whole number`);
  if (parsed < min || parsed > max) {
    throw misconfigured(`the setting ${name} must be from ${min} to ${maxName ? `${maxName} (${max})` : max}`);
  }
  return parsed;
}

/** A rate limit written `10/s`, `50/s,1000/min`, `5/s,10000/day` or `5/s,100/min,10000/day`. */
function rateLimit(env: Env, name: string, fallback: RateLimit): RateLimit {
  const found = value(env, name)?.replace(/\s+/g, '');
  if (found === undefined) return fallback;
  const match = /^(\d{1,6})\/s(?:,(\d{1,7})\/min)?(?:,(\d{1,9})\/day)?$/.exec(found);
  const [perSecond, perMinute, perDay] = [match?.[1], match?.[2], match?.[3]].map((n) =>
    n === undefined ? undefined : Number(n),
  );
  if (!match || perSecond === undefined || [perSecond, perMinute, perDay].some((n) => n !== undefined && n < 1)) {
    throw misconfigured(
      `the setting ${name} must read like 10/s, 50/s,1000/min or 5/s,10000/day (whole numbers from 1)`,
    );
  }
  return { perSecond, ...(perMinute === undefined ? {} : { perMinute }), ...(perDay === undefined ? {} : { perDay }) };
}

/** A DynamoDB table name (3 to 255 of A-Z, a-z, 0-9, `_`, `-`, `.`), as `{ rateLimitTable }`; none when empty. */
function tableName(env: Env, name: string): { rateLimitTable?: string } {
  const found = value(env, name);
  if (found === undefined) return {};
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(found)) {
    throw misconfigured(`the setting ${name} must be a DynamoDB table name: 3 to 255 letters, digits, '_', '-' or '.'`);
  }
  return { rateLimitTable: found };
}

/** A comma-separated list of ids, each as strict as an id in a request. */
function idList(env: Env, name: string): string[] {
  const ids = (value(env, name) ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.some((id) => !/^[A-Za-z0-9_-]{1,256}$/.test(id))) {
    throw misconfigured(
      `the setting ${name} must be ids separated by commas, each of the letters A-Z and a-z, digits, '_' and '-'`,
    );
  }
  return ids;
}

/** An EventBridge bus of this account, by name (the stack grants PutEvents on it), as `{ eventBusName }`. */
function eventBus(env: Env, name: string): { eventBusName?: string } {
  const found = value(env, name);
  if (found === undefined) return {};
  if (!/^[A-Za-z0-9._\-/]{1,256}$/.test(found)) {
    throw misconfigured(`the setting ${name} must be the name of an EventBridge bus (letters, digits, . _ - /)`);
  }
  return { eventBusName: found };
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const found = value(env, name)?.toLowerCase();
  if (found === undefined) return fallback;
  if (found === 'true' || found === '1') return true;
  if (found === 'false' || found === '0') return false;
  throw misconfigured(`the setting ${name} must be true or false`);
}

function baseUrl(env: Env, name: string, fallback: string): string {
  const found = value(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(found);
  } catch {
    throw misconfigured(`the setting ${name} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw misconfigured(`the setting ${name} must be an http(s) URL`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function keyPrefix(env: Env, name: string, fallback: string): string {
  const found = value(env, name) ?? fallback;
  if (!/^[A-Za-z0-9!_.*'()/-]{0,512}$/.test(found) || found.startsWith('/')) {
    throw misconfigured(`the setting ${name} may hold only letters, digits and !_.*'()/- (no leading slash)`);
  }
  // S3 keeps `a/./b` and `a/b` apart, but URL handling anywhere on the way may fold them into one.
  const folders = found.split('/');
  const last = folders.pop()!;
  if (folders.some((folder) => folder === '' || folder === '.' || folder === '..') || last === '.' || last === '..') {
    throw misconfigured(`the setting ${name} must not hold an empty, '.' or '..' segment (such as '//' or '/./')`);
  }
  // requests/ and results/ hold S3 manifests and their answers; images there would trigger them.
  if (/^(requests|results)(\/|$)/.test(found))
    throw misconfigured(`the setting ${name} must not start with requests/ or results/, which hold S3 manifests`);
  return found;
}
