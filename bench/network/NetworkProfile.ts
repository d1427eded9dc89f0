import type { LinkShape } from './ShapedProxy';

/** The network between a contestant and the servers: each link shaped by a proxy, or direct when absent. */
export interface NetworkProfile {
  name: string;
  /** What the profile stands for, as the results say it. */
  description: string;
  feishu?: LinkShape;
  s3?: LinkShape;
}

/**
 * A Lambda in ap-southeast-1 calling open.feishu.cn (tens of milliseconds away, a bandwidth per
 * connection well below the Lambda's) and S3 in its own region (a few milliseconds, about a
 * gigabit).
 */
export const AWS_TO_FEISHU: NetworkProfile = {
  name: 'aws-to-feishu',
  description: 'Feishu 60 ms RTT and 100 Mbit/s, S3 4 ms RTT and 1 Gbit/s',
  feishu: { rttMs: 60, bitsPerSecond: 100e6 },
  s3: { rttMs: 4, bitsPerSecond: 1e9 },
};

/** Both servers on loopback, direct: what the bench measured before profiles, for our own CPU cost. */
export const LOOPBACK: NetworkProfile = { name: 'loopback', description: 'Feishu and S3 on loopback, direct' };

/** Both links through the proxy with no delay and no cap: the proxy's own cost, against LOOPBACK. */
export const PROXY_AT_ZERO: NetworkProfile = {
  name: 'proxy at 0 ms',
  description: 'Feishu and S3 on loopback through the proxy, 0 ms and no cap',
  feishu: { rttMs: 0, bitsPerSecond: 0 },
  s3: { rttMs: 0, bitsPerSecond: 0 },
};

/** Whether the goals set for a Lambda calling Feishu from AWS apply (rather than those of loopback). */
export function isAwsToFeishu(profile: NetworkProfile): boolean {
  return profile.name === AWS_TO_FEISHU.name;
}

/** The profiles `--profile=` names. */
export const NAMED_PROFILES: readonly NetworkProfile[] = [AWS_TO_FEISHU, LOOPBACK];

/** A shape with the figures `--feishu-rtt=`, `--s3-mbps=`, … give in place of the profile's own. */
export interface ShapeOverrides {
  feishuRttMs?: number;
  feishuMbps?: number;
  s3RttMs?: number;
  s3Mbps?: number;
}

/**
 * The profile with `overrides` applied to its shaped links (a direct profile stays direct), its
 * description saying what was changed.
 *
 * @example
 * withOverrides(AWS_TO_FEISHU, { feishuRttMs: 120 }).feishu; // { rttMs: 120, bitsPerSecond: 100e6 }
 */
export function withOverrides(profile: NetworkProfile, overrides: ShapeOverrides): NetworkProfile {
  if (!profile.feishu || !profile.s3 || Object.keys(overrides).length === 0) return profile;
  const feishu: LinkShape = {
    rttMs: overrides.feishuRttMs ?? profile.feishu.rttMs,
    bitsPerSecond: overrides.feishuMbps === undefined ? profile.feishu.bitsPerSecond : overrides.feishuMbps * 1e6,
  };
  const s3: LinkShape = {
    rttMs: overrides.s3RttMs ?? profile.s3.rttMs,
    bitsPerSecond: overrides.s3Mbps === undefined ? profile.s3.bitsPerSecond : overrides.s3Mbps * 1e6,
  };
  return { ...profile, feishu, s3, description: `${describeLink('Feishu', feishu)}, ${describeLink('S3', s3)}` };
}

/** `Feishu 60 ms RTT and 100 Mbit/s`. */
export function describeLink(name: string, shape: LinkShape): string {
  const bandwidth =
    shape.bitsPerSecond === 0
      ? 'no cap'
      : shape.bitsPerSecond >= 1e9
        ? `${shape.bitsPerSecond / 1e9} Gbit/s`
        : `${shape.bitsPerSecond / 1e6} Mbit/s`;
  return `${name} ${shape.rttMs} ms RTT and ${bandwidth}`;
}
