import { MirrorError } from '../errors/MirrorError';

const SETTING_ERRORS: Readonly<Record<string, string>> = {
  NoSuchBucket: 'the bucket named by IMAGE_BUCKET does not exist',
  AccessDenied:
    "S3 denied the function access to the bucket named by IMAGE_BUCKET; check IMAGE_BUCKET and the function's role",
  // A HEAD's 403 has no body to name it: the SDK names it by its status.
  Forbidden:
    "S3 denied the function access to the bucket named by IMAGE_BUCKET; check IMAGE_BUCKET and the function's role",
  InvalidAccessKeyId: "S3 does not know the function's access key; check its credentials",
  SignatureDoesNotMatch: "S3 rejected the function's signature; check its credentials",
  CredentialsProviderError:
    'the AWS SDK found no credentials (environment, shared config or profile, SSO, container or instance role); ' +
    "check the function's role or the local AWS profile",
  RegionMissing: 'the AWS SDK found no region; set AWS_REGION, or a region in the AWS profile',
};

/**
 * Translates an S3 failure (after the SDK's own retries) into the product's error, in this one
 * place: a misconfiguration where the bucket or the credentials are wrong, else STORAGE_ERROR
 * (retryable), an aborted call (the invocation's time ran out) included.
 *
 * @example
 * throw storageError(`storing ${key}`, error); // MirrorError STORAGE_ERROR "storing …: S3 failed (SlowDown)"
 */
export function storageError(action: string, error: unknown): MirrorError {
  if (error instanceof MirrorError) return error;
  const name = errorName(error);
  const setting = SETTING_ERRORS[name];
  if (setting) return new MirrorError('MISCONFIGURED', `${action}: ${setting}`, { cause: error });
  if (name === 'AbortError')
    return new MirrorError(
      'STORAGE_ERROR',
      `${action}: S3 did not answer in the time the invocation had left (AbortError)`,
      { cause: error },
    );
  return new MirrorError('STORAGE_ERROR', `${action}: S3 failed (${name})`, { cause: error });
}

/**
 * The most telling name of an S3 failure: S3's own code (the SDK's error name), or, for a
 * network failure, the code (ECONNREFUSED, …) on it or on its cause, or else in its message.
 */
function errorName(error: unknown): string {
  // Duck-typed: errors may come from another realm (a test's VM context).
  if (!isErrorLike(error)) return 'UnknownError';
  if ('$fault' in error || error.name === 'AbortError' || error.name === 'CredentialsProviderError') return error.name;
  // The SDK's region resolution throws a bare Error, named by its message only.
  if (error.message === 'Region is missing') return 'RegionMissing';
  for (let current: unknown = error; isErrorLike(current); current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return /\b(E[A-Z]{3,})\b/.exec(error.message)?.[1] ?? error.name;
}

function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Error).message === 'string' &&
    typeof (value as Error).name === 'string'
  );
}
