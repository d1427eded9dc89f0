import { S3Api } from './S3Api';

const clients = new Map<boolean, S3Api>();

/**
 * The container's S3 client, created once and reused by warm invocations (its connections
 * stay open between them).
 *
 * @example
 * const client = s3Client(settings.s3ForcePathStyle);
 */
export function s3Client(forcePathStyle: boolean): S3Api {
  let client = clients.get(forcePathStyle);
  if (!client) {
    client = new S3Api(forcePathStyle);
    clients.set(forcePathStyle, client);
  }
  return client;
}
