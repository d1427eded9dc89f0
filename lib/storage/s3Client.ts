import { S3Client } from '@aws-sdk/client-s3';

const clients = new Map<boolean, S3Client>();

/**
 * The container's S3 client, created once and reused by warm invocations. The endpoint comes
 * from the SDK's own `AWS_ENDPOINT_URL_S3` when set (local servers).
 */
export function s3Client(forcePathStyle: boolean): S3Client {
  let client = clients.get(forcePathStyle);
  if (!client) {
    client = new S3Client({
      forcePathStyle,
      // Integrity is ours (sha256 of the bytes); the SDK's extra CRC would cost a pass over
      // every part and needs aws-chunked uploads that some S3-compatible servers lack.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    clients.set(forcePathStyle, client);
  }
  return client;
}
