import { AwsServiceError } from '../aws/AwsServiceError';
import { MirrorError } from '../errors/MirrorError';

const SETTING_ERRORS: Readonly<Record<string, string>> = {
  NoSuchBucket: 'the bucket named by IMAGE_BUCKET does not exist',
  AccessDenied: "S3 denied the function access to the bucket named by IMAGE_BUCKET; check IMAGE_BUCKET and the function's role",
  InvalidAccessKeyId: "S3 does not know the function's access key; check its credentials",
  SignatureDoesNotMatch: "S3 rejected the function's signature; check its credentials",
};

/**
 * Translates an S3 failure (after the client's own retries) into the product's error: a
 * misconfiguration where the bucket or the credentials are wrong, else STORAGE_ERROR.
 */
export function storageError(action: string, error: unknown): MirrorError {
  if (error instanceof MirrorError) return error;
  const name = errorName(error);
  const setting = SETTING_ERRORS[name];
  if (setting) return new MirrorError('MISCONFIGURED', `${action}: ${setting}`, { cause: error });
  return new MirrorError('STORAGE_ERROR', `${action}: S3 failed (${name})`, { cause: error });
}

/**
 * The most telling name of an S3 failure: S3's own code, or, for a network failure (a plain
 * Error), the code (ECONNREFUSED, …) on it or on its cause, or else in its message.
 */
function errorName(error: unknown): string {
  if (error instanceof AwsServiceError) return error.name;
  // Duck-typed: Node's own network errors may come from another realm (a test's VM context).
  if (!isErrorLike(error)) return 'UnknownError';
  for (let current: unknown = error; isErrorLike(current); current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return /\b(E[A-Z]{3,})\b/.exec(error.message)?.[1] ?? error.name;
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string';
}
