import type { FeishuSandbox } from '../../tests/sandbox/feishu';
import type { BenchEnvironment } from '../harness/BenchEnvironment';
import type { NetworkProfile } from './NetworkProfile';
import { ShapedProxy } from './ShapedProxy';

/** The prefix a profile's keys are stored under, so that a miss under one profile is never a hit left by another. */
const slug = (profile: NetworkProfile): string => profile.name.replace(/[^a-z0-9]+/gi, '-');

/**
 * The same servers as `base`, reached through `profile`: a shaped proxy in front of the Feishu
 * sandbox and one in front of S3, whose addresses the contestants get in place of the servers'
 * own; each contestant stores under a prefix of the profile's. A profile with no shape is `base`.
 * Closing it closes its proxies only.
 *
 * @example
 * const shaped = await shapedEnvironment(environment, AWS_TO_FEISHU);
 * shaped.envFor('ours').FEISHU_BASE_URL; // the Feishu proxy's address
 */
export async function shapedEnvironment(base: BenchEnvironment, profile: NetworkProfile): Promise<BenchEnvironment> {
  const { feishu: feishuShape, s3: s3Shape } = profile;
  if (!feishuShape || !s3Shape) return base;
  const s3Proxy = await ShapedProxy.start(base.s3.endpoint, s3Shape);
  const feishuProxies = new Map<string, ShapedProxy>();
  const connect = async (sandbox: FeishuSandbox): Promise<void> => {
    if (!feishuProxies.has(sandbox.url))
      feishuProxies.set(sandbox.url, await ShapedProxy.start(sandbox.url, feishuShape));
  };
  await connect(base.feishu);
  return {
    feishu: base.feishu,
    s3: base.s3,
    network: profile,
    connect,
    envFor(contestant, sandbox = base.feishu) {
      const proxy = feishuProxies.get(sandbox.url);
      // Never measure a shaped figure on loopback by mistake.
      if (!proxy) throw new Error(`${sandbox.url} is not connected through ${profile.name}: call connect() first`);
      return {
        ...base.envFor(contestant, sandbox),
        FEISHU_BASE_URL: proxy.url,
        AWS_ENDPOINT_URL_S3: s3Proxy.url,
        IMAGE_KEY_PREFIX: `${contestant}/${slug(profile)}/`,
      };
    },
    async close() {
      await Promise.all([s3Proxy, ...feishuProxies.values()].map((proxy) => proxy.close()));
    },
  };
}
