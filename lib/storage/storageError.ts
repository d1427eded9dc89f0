import { MirrorError } from '../errors/MirrorError';

const SETTING_ERRORS: Readonly<Record<string, string>> = {
  NoSuchBucket: 'the bucket named by IMAGE_BUCKET does not exist',
  AccessDenied: "S3 denied the function access to the bucket named by IMAGE_BUCKET; check IMAGE_BUCKET and the function's role",
  InvalidAccessKeyId: "S3 does not know the function's access key; check its credentials",
  SignatureDoesNotMatch: "S3 rejected the function's signature; check its credentials",
};

/**
 * Translates an S3 failure (after the SDK's own retries) into the product's error: a
 * misconfiguration where the bucket or the credentials are wrong, else STORAGE_ERROR.
 */
export function storageError(action: string, error: unknown): MirrorError {
  const name = errorName(error);
  const setting = SETTING_ERRORS[name];
  if (setting) return new MirrorError('MISCONFIGURED', `${action}: ${setting}`, { cause: error });
  return new MirrorError('STORAGE_ERROR', `${action}: S3 failed (${name})`, { cause: error });
}

/**
 * The most telling name of an S3 failure. A HEAD answer has no body, so the SDK names a 403
 * only by its status; a network failure reaches us as a plain Error whose code (ECONNREFUSED,
 * …) is on it or on its cause, or, once the SDK has wrapped it, only in its message.
 */
function errorName(error: unknown): string {
  if (!(error instanceof Error)) return 'UnknownError';
  if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) return 'AccessDenied';
  if (error.name !== 'Error') return error.name;
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return /\b(E[A-Z]{3,})\b/.exec(error.message)?.[1] ?? error.name;
}
