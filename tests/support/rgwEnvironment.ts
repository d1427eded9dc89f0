import { createRgwBucket, rgwClient, rgwTarget, type RgwBucket } from '../sandbox/rgw/rgwTarget';
import { startMirrorEnvironment, type MirrorEnvironment } from './mirrorEnvironment';
import { startS3FaultProxy, type S3FaultProxy } from './s3FaultProxy';
import { useEnvironment } from './useMirrorEnvironment';

/** The Feishu sandbox and Ceph RGW, the functions reaching RGW through a fault proxy. */
export interface RgwEnvironment extends MirrorEnvironment {
  /** Between the functions and RGW: `proxy.fault(...)` makes S3 misbehave. */
  proxy: S3FaultProxy;
  /** The multipart uploads RGW itself still lists in the bucket. */
  uploads(): Promise<string[]>;
}

/**
 * The real handlers against the Feishu sandbox and the running Ceph RGW, in a fresh bucket of
 * this test file's own. The functions' S3 client goes through a fault proxy (pass-through until
 * told otherwise); `env.client`, `keys()`, `exists()` and `uploads()` look at RGW directly.
 *
 * @example
 * const env = await startRgwEnvironment('faults');
 * env.proxy.fault({ type: 'refusePart', fromPart: 2 });
 */
export async function startRgwEnvironment(
  purpose: string,
  options: { env?: Record<string, string> } = {},
): Promise<RgwEnvironment> {
  const target = rgwTarget();
  const admin = rgwClient(target);
  const bucket: RgwBucket = await createRgwBucket(admin, purpose);
  const proxy = await startS3FaultProxy(target.endpoint);
  const env = await startMirrorEnvironment({
    s3: {
      endpoint: target.endpoint,
      credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
      bucket: bucket.name,
      close: async () => {
        await bucket.remove();
        admin.destroy();
      },
    },
    env: { AWS_ENDPOINT_URL_S3: proxy.url, ...options.env },
  });
  return {
    ...env,
    proxy,
    uploads: () => bucket.uploads(),
    async close() {
      proxy.fault({ type: 'none' });
      await proxy.close();
      await env.close();
    },
  };
}

/**
 * Ceph RGW behind its fault proxy for the test file, in a bucket of its own, with the hooks of
 * `useEnvironment`.
 *
 * @example
 * const env = useRgwEnvironment('faults');
 */
export function useRgwEnvironment(purpose: string, options: { env?: Record<string, string> } = {}): RgwEnvironment {
  return useEnvironment(() => startRgwEnvironment(purpose, options));
}
