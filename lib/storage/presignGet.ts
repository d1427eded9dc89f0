import { GetObjectCommand, type GetObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { storageError } from './storageError';

/**
 * A presigned GET URL for one object only, living `expiresInSeconds`, with whatever the GET
 * asks S3 to answer (`ResponseContentType`, …). Signed locally by the SDK's presigner: no
 * request is made. The URL reads with the function's own permissions, so its role must be
 * allowed to read the object.
 *
 * @example
 * const url = await presignGet(client, { Bucket: bucket, Key: 'results/docx/doxcnA/….json' }, 900);
 */
export async function presignGet(
  client: S3Client,
  input: GetObjectCommandInput,
  expiresInSeconds: number,
): Promise<string> {
  try {
    return await getSignedUrl(client, new GetObjectCommand(input), { expiresIn: expiresInSeconds });
  } catch (error) {
    throw storageError(`signing a URL for ${input.Key}`, error);
  }
}
