import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';

/** Where the running Ceph RGW answers, and the keys of its S3 user. */
export interface RgwTarget {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** What `tests/sandbox/rgw/start.sh` writes when RGW is ready. */
export const RGW_ENDPOINT_FILE = join(__dirname, '..', '..', '..', '.ceph-rgw', 'endpoint.json');

/**
 * The RGW the fault tests run against: `RGW_ENDPOINT`, `RGW_ACCESS_KEY` and `RGW_SECRET_KEY`
 * when set, else what `tests/sandbox/rgw/start.sh` wrote. Throws, saying how to start it,
 * when there is none: a missing gateway must fail the run, never skip its proofs.
 */
export function rgwTarget(
  env: NodeJS.ProcessEnv = process.env,
  file = env.RGW_DIR ? join(env.RGW_DIR, 'endpoint.json') : RGW_ENDPOINT_FILE,
): RgwTarget {
  if (env.RGW_ENDPOINT) {
    return {
      endpoint: env.RGW_ENDPOINT,
      accessKeyId: env.RGW_ACCESS_KEY ?? 'TESTACCESSKEY',
      secretAccessKey: env.RGW_SECRET_KEY ?? 'TESTSECRETKEY',
    };
  }
  if (!existsSync(file))
    throw new Error(`No Ceph RGW is running (${file} is missing): start one with tests/sandbox/rgw/start.sh`);
  return JSON.parse(readFileSync(file, 'utf8')) as RgwTarget;
}

/** An S3 client of the test's own, talking to RGW directly (never through a fault proxy). */
export function rgwClient(target: RgwTarget): S3Client {
  return new S3Client({
    endpoint: target.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
  });
}

/** A bucket of one test file's own on RGW; `remove` empties it (objects and uploads) and deletes it. */
export interface RgwBucket {
  name: string;
  /** The multipart uploads RGW still lists (ListMultipartUploads), as `key` strings. */
  uploads(): Promise<string[]>;
  remove(): Promise<void>;
}

/**
 * Creates a fresh, uniquely named bucket on RGW, so test files running at once never share one.
 *
 * @example
 * const bucket = await createRgwBucket(client, 'faults');
 */
export async function createRgwBucket(client: S3Client, purpose: string): Promise<RgwBucket> {
  const name = `fim-${purpose}-${randomBytes(4).toString('hex')}`.toLowerCase();
  await client.send(new CreateBucketCommand({ Bucket: name }));
  const listUploads = async () => (await client.send(new ListMultipartUploadsCommand({ Bucket: name }))).Uploads ?? [];
  return {
    name,
    async uploads() {
      return (await listUploads()).map((upload) => upload.Key ?? '').sort();
    },
    async remove() {
      for (const upload of await listUploads()) {
        await client.send(
          new AbortMultipartUploadCommand({ Bucket: name, Key: upload.Key, UploadId: upload.UploadId }),
        );
      }
      const listed = await client.send(new ListObjectsV2Command({ Bucket: name }));
      for (const item of listed.Contents ?? [])
        await client.send(new DeleteObjectCommand({ Bucket: name, Key: item.Key }));
      await client.send(new DeleteBucketCommand({ Bucket: name }));
    },
  };
}
