import { S3Client } from '@aws-sdk/client-s3';

/** Attempts per S3 call, the SDK's standard retry mode (a streamed upload is sent once). */
export const S3_MAX_ATTEMPTS = 3;

/**
 * The functions' S3 client. Everything else is the SDK's own resolution, as in any AWS tool:
 * credentials from its default chain (Lambda's role, or a local profile), the region from
 * `AWS_REGION` or the profile, the endpoint from its rules (`AWS_ENDPOINT_URL_S3`,
 * `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`), and its integrity checksums
 * (`AWS_REQUEST_CHECKSUM_CALCULATION`, `AWS_RESPONSE_CHECKSUM_VALIDATION`).
 *
 * @example
 * const client = buildS3Client(settings.s3ForcePathStyle);
 */
export function buildS3Client(forcePathStyle: boolean): S3Client {
  return new S3Client({
    forcePathStyle,
    // A bucket in another region answers 301: the SDK follows it instead of failing the call.
    followRegionRedirects: true,
    retryMode: 'standard',
    maxAttempts: S3_MAX_ATTEMPTS,
    // No logger: with one, the SDK filters every command's input and output for its log line
    // (CPU on every call). Its one warning, that a failed streamed PUT is not retried, then
    // goes to the console; the product logs the failure itself.
  });
}
