import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { clearDailyCounts } from '../../lib/feishu/RateLimiters';
import { clearTenantTokens } from '../../lib/feishu/tenantToken';
import { startLocalDynamo, type LocalDynamo } from '../sandbox/dynamodb/startLocalDynamo';
import { startFeishuSandbox, type FeishuSandbox, type FeishuSandboxOptions } from '../sandbox/feishu';
import { LOCAL_S3_CREDENTIALS, S3_COMPATIBLE_CHECKSUMS, startLocalS3, type LocalS3 } from '../sandbox/s3/startLocalS3';

export const TEST_BUCKET = 'feishu-image-mirror-test';

/** An S3-compatible server started elsewhere (Ceph RGW), with a bucket of the test's own. */
export interface S3Server {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  bucket: string;
  close(): Promise<void>;
}

/** The Feishu sandbox and a real S3-compatible server, with the settings pointing at them. */
export interface MirrorEnvironment {
  feishu: FeishuSandbox;
  s3: LocalS3 | S3Server;
  /** The in-process DynamoDB holding the shared rate budget, when the test file asked for it. */
  dynamo?: LocalDynamo;
  /** A client of the test's own, to look at what the functions stored. */
  client: S3Client;
  bucket: string;
  /** Every key in the bucket. */
  keys(): Promise<string[]>;
  /** The stored object's bytes, content type and metadata. */
  object(key: string): Promise<{ bytes: Buffer; contentType?: string; metadata: Record<string, string> }>;
  /** Whether a key exists (HEAD). */
  exists(key: string): Promise<boolean>;
  /** A fresh start for the next test: the sandbox forgets everything, the container its token and day's counts. */
  reset(): void;
  /** Sets settings for the rest of the test file (restored by `close`). */
  setEnv(values: Record<string, string | undefined>): void;
  close(): Promise<void>;
}

export interface MirrorEnvironmentOptions {
  feishu?: FeishuSandboxOptions;
  /** Settings beyond those pointing at the sandbox and S3, for the whole test file. */
  env?: Record<string, string>;
  /** Another S3-compatible server instead of the in-process one. */
  s3?: S3Server;
  /** Keep the shared rate budget in an in-process DynamoDB (dynalite), as the stack does in its table. */
  sharedBudget?: boolean;
}

/**
 * Starts the Feishu sandbox and the in-process S3 server, creates the bucket, and sets the
 * environment exactly as serverless.yml would: the real handlers then run unchanged.
 *
 * @example
 * const env = await startMirrorEnvironment();
 * const answer = await imHandler({ imageKey: 'img_v3_01' }, lambdaContext());
 */
export async function startMirrorEnvironment(options: MirrorEnvironmentOptions = {}): Promise<MirrorEnvironment> {
  const feishu = await startFeishuSandbox({ rateLimits: false, ...options.feishu });
  const directory = mkdtempSync(join(tmpdir(), 'feishu-image-mirror-s3-'));
  const s3 = options.s3 ?? (await startLocalS3({ directory, buckets: [TEST_BUCKET] }));
  const dynamo = options.sharedBudget ? await startLocalDynamo() : undefined;
  const bucket = options.s3?.bucket ?? TEST_BUCKET;
  const credentials = options.s3?.credentials ?? LOCAL_S3_CREDENTIALS;
  const saved = new Map<string, string | undefined>();
  const setEnv = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (!saved.has(name)) saved.set(name, process.env[name]);
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  setEnv({
    FEISHU_BASE_URL: feishu.url,
    FEISHU_APP_ID: feishu.appId,
    FEISHU_APP_SECRET: feishu.appSecret,
    FEISHU_APP_SECRET_PARAMETER: undefined,
    FEISHU_HELPDESK_ID: feishu.helpdeskId,
    FEISHU_HELPDESK_TOKEN: feishu.helpdeskToken,
    FEISHU_HELPDESK_TOKEN_PARAMETER: undefined,
    IMAGE_BUCKET: bucket,
    IMAGE_KEY_PREFIX: undefined,
    PRESIGN_EXPIRES_SECONDS: undefined,
    PRESIGN_MAX_SECONDS: undefined,
    WHITEBOARD_MAX_AGE_SECONDS: undefined,
    MAX_IMAGE_BYTES: undefined,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    // Empty rather than unset: serverless-offline would otherwise pass the stack's own table, a Ref it cannot resolve.
    RATE_LIMIT_TABLE: dynamo?.tableName ?? '',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo?.endpoint,
    // s3rver and Ceph RGW 16 cannot decode the SDK's aws-chunked uploads (docs/architecture.md, "Checksums").
    ...S3_COMPATIBLE_CHECKSUMS,
    ...options.env,
  });
  const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials });

  return {
    feishu,
    s3,
    ...(dynamo ? { dynamo } : {}),
    client,
    bucket,
    async keys() {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (listed.Contents ?? []).map((item) => item.Key ?? '').sort();
    },
    async object(key) {
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      return { bytes, contentType: got.ContentType, metadata: got.Metadata ?? {} };
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if (error instanceof Error && error.name === 'NotFound') return false;
        throw error;
      }
    },
    setEnv,
    reset() {
      feishu.reset();
      clearTenantTokens();
      clearDailyCounts();
    },
    async close() {
      client.destroy();
      await Promise.all([feishu.close(), s3.close(), dynamo?.close()]);
      rmSync(directory, { recursive: true, force: true });
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
