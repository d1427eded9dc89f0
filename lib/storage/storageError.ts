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
  const name = error instanceof Error ? error.name : 'UnknownError';
  const setting = SETTING_ERRORS[name];
  if (setting) return new MirrorError('MISCONFIGURED', `${action}: ${setting}`, { cause: error });
  return new MirrorError('STORAGE_ERROR', `${action}: S3 failed (${name})`, { cause: error });
}
