import type { Settings } from '../../../lib/settings/Settings';

/** Complete settings for the data path, as loadSettings would build them; tests override what they need. */
export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    feishuBaseUrl: 'https://open.feishu.test',
    appId: 'cli_a1b2c3d4e5f6a7b8',
    appSecret: { value: 'Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd', setting: 'FEISHU_APP_SECRET' },
    bucket: 'feishu-image-mirror-dev-images',
    keyPrefix: 'feishu/',
    presignExpiresSeconds: 900,
    presignMaxSeconds: 3600,
    whiteboardMaxAgeSeconds: 0,
    maxImageBytes: 100 * 1024 * 1024,
    s3ForcePathStyle: false,
    rateLimit: { perSecond: 50, perMinute: 1000 },
    rateLimits: {},
    batchConcurrency: 50,
    batchMaxItems: 1000,
    manifestMaxBytes: 1024 * 1024,
    scheduledIds: [],
    ...overrides,
  };
}
