import { helpdeskFaq, im, whiteboard } from '../../../lib/endpoints';
import { loadSettings } from '../../../lib/settings/loadSettings';
import { thrownBy } from '../helpers/thrownBy';

const APP_SECRET = 'Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd';
const HELPDESK_TOKEN = 'ht-0a1b2c3d4e5f6a7b8c9d';

/** The settings every function needs, as a deploy would pass them. */
const BASE_ENV: Readonly<Record<string, string>> = {
  FEISHU_APP_ID: 'cli_a1b2c3d4e5f6a7b8',
  FEISHU_APP_SECRET: APP_SECRET,
  IMAGE_BUCKET: 'feishu-image-mirror-dev-images',
};

const HELPDESK_ENV: Readonly<Record<string, string>> = {
  ...BASE_ENV,
  FEISHU_HELPDESK_ID: '7012345678901234567',
  FEISHU_HELPDESK_TOKEN: HELPDESK_TOKEN,
};

function env(overrides: Record<string, string | undefined> = {}, base = BASE_ENV): Record<string, string | undefined> {
  return { ...base, ...overrides };
}

describe('Function: loadSettings', () => {
  describe('defaults', () => {
    it('fills every optional setting with its documented default', () => {
      // Act
      const settings = loadSettings(env(), whiteboard);

      // Assess
      expect(settings).toEqual({
        feishuBaseUrl: 'https://open.feishu.cn',
        appId: 'cli_a1b2c3d4e5f6a7b8',
        appSecret: { value: APP_SECRET, setting: 'FEISHU_APP_SECRET' },
        bucket: 'feishu-image-mirror-dev-images',
        keyPrefix: 'feishu/',
        presignExpiresSeconds: 900,
        presignMaxSeconds: 3600,
        whiteboardMaxAgeSeconds: 0,
        maxImageBytes: 100 * 1024 * 1024,
        s3ForcePathStyle: false,
        rateLimit: { perSecond: 10 },
        rateLimits: { whiteboard: { perSecond: 10 } },
        batchConcurrency: 10,
        batchMaxItems: 1000,
        manifestMaxBytes: 1024 * 1024,
        scheduledIds: [],
      });
    });

    it('treats an empty optional setting as unset', () => {
      // Act
      const settings = loadSettings(
        env({ IMAGE_KEY_PREFIX: '', PRESIGN_EXPIRES_SECONDS: '', FEISHU_BASE_URL: '  ' }),
        im,
      );

      // Assess
      expect(settings).toMatchObject({
        keyPrefix: 'feishu/',
        presignExpiresSeconds: 900,
        feishuBaseUrl: 'https://open.feishu.cn',
      });
    });

    it('reads every optional setting that is given', () => {
      // Prepare
      const given = env({
        FEISHU_BASE_URL: 'https://open.larksuite.com',
        IMAGE_KEY_PREFIX: 'mirror/feishu/',
        PRESIGN_EXPIRES_SECONDS: '300',
        PRESIGN_MAX_SECONDS: '86400',
        WHITEBOARD_MAX_AGE_SECONDS: '600',
        MAX_IMAGE_BYTES: '10485760',
        S3_FORCE_PATH_STYLE: 'true',
      });

      // Act
      const settings = loadSettings(given, whiteboard);

      // Assess
      expect(settings).toMatchObject({
        feishuBaseUrl: 'https://open.larksuite.com',
        keyPrefix: 'mirror/feishu/',
        presignExpiresSeconds: 300,
        presignMaxSeconds: 86400,
        whiteboardMaxAgeSeconds: 600,
        maxImageBytes: 10485760,
        s3ForcePathStyle: true,
      });
    });
  });

  describe('required settings', () => {
    it.each([
      ['FEISHU_APP_ID', undefined],
      ['FEISHU_APP_ID', ''],
      ['FEISHU_APP_ID', '   '],
      ['IMAGE_BUCKET', undefined],
      ['IMAGE_BUCKET', ''],
    ])('answers MISCONFIGURED naming %s when it is %p', (name, value) => {
      // Prepare
      const given = env({ [name]: value });

      // Act
      const load = (): unknown => loadSettings(given, whiteboard);

      // Assess
      expect(load).toThrow(
        expect.objectContaining({
          code: 'MISCONFIGURED',
          name: 'MisconfiguredError',
          message: expect.stringContaining(name),
        }),
      );
    });

    it.each([undefined, ''])(
      'answers MISCONFIGURED naming both ways to give the app secret when neither is given (%p)',
      (value) => {
        // Prepare
        const given = env({ FEISHU_APP_SECRET: value });

        // Act
        const load = (): unknown => loadSettings(given, im);

        // Assess
        expect(load).toThrow(/FEISHU_APP_SECRET \(or FEISHU_APP_SECRET_PARAMETER\) is missing/);
      },
    );

    it('takes the app secret from SSM when FEISHU_APP_SECRET_PARAMETER names a parameter', () => {
      // Prepare
      const given = env({
        FEISHU_APP_SECRET: undefined,
        FEISHU_APP_SECRET_PARAMETER: '/feishu-image-mirror/dev/app-secret',
      });

      // Act
      const settings = loadSettings(given, im);

      // Assess
      expect(settings.appSecret).toEqual({
        parameterName: '/feishu-image-mirror/dev/app-secret',
        setting: 'FEISHU_APP_SECRET_PARAMETER',
      });
    });

    it.each(['feishu-image-mirror/dev/app-secret', 'arn:aws:ssm:ap-southeast-1:123456789012:parameter/app-secret'])(
      'answers MISCONFIGURED for a parameter name that is not a full path from / (%s)',
      (name) => {
        // Prepare
        const given = env({ FEISHU_APP_SECRET: undefined, FEISHU_APP_SECRET_PARAMETER: name });

        // Act
        const thrown = thrownBy(() => loadSettings(given, im));

        // Assess
        expect(thrown).toMatchObject({
          code: 'MISCONFIGURED',
          message: expect.stringContaining(
            "FEISHU_APP_SECRET_PARAMETER must be a full parameter name starting with '/'",
          ),
        });
      },
    );

    it('answers MISCONFIGURED when both the secret and its parameter are set, without either value', () => {
      // Prepare
      const given = env({ FEISHU_APP_SECRET_PARAMETER: '/feishu-image-mirror/dev/app-secret' });

      // Act
      const thrown = thrownBy(() => loadSettings(given, im));

      // Assess
      expect(thrown).toMatchObject({
        code: 'MISCONFIGURED',
        message: 'set either FEISHU_APP_SECRET or FEISHU_APP_SECRET_PARAMETER, not both',
      });
      expect(thrown.message).not.toContain(APP_SECRET);
      expect(thrown.message).not.toContain('/feishu-image-mirror/dev/app-secret');
    });
  });

  describe('helpdesk settings', () => {
    it('does not require the helpdesk settings for the other endpoints', () => {
      // Act
      const settings = loadSettings(env(), whiteboard);

      // Assess
      expect(settings.helpdesk).toBeUndefined();
    });

    it('reads the helpdesk id and token for the helpdesk endpoint', () => {
      // Act
      const settings = loadSettings(env({}, HELPDESK_ENV), helpdeskFaq);

      // Assess
      expect(settings.helpdesk).toEqual({
        id: '7012345678901234567',
        token: { value: HELPDESK_TOKEN, setting: 'FEISHU_HELPDESK_TOKEN' },
      });
    });

    it('reads the helpdesk token from SSM when FEISHU_HELPDESK_TOKEN_PARAMETER names a parameter', () => {
      // Prepare
      const given = env(
        {
          FEISHU_HELPDESK_TOKEN: undefined,
          FEISHU_HELPDESK_TOKEN_PARAMETER: '/feishu-image-mirror/dev/helpdesk-token',
        },
        HELPDESK_ENV,
      );

      // Act
      const settings = loadSettings(given, helpdeskFaq);

      // Assess
      expect(settings.helpdesk?.token).toEqual({
        parameterName: '/feishu-image-mirror/dev/helpdesk-token',
        setting: 'FEISHU_HELPDESK_TOKEN_PARAMETER',
      });
    });

    it.each(['FEISHU_HELPDESK_ID', 'FEISHU_HELPDESK_TOKEN'])(
      'answers MISCONFIGURED naming %s when the helpdesk endpoint lacks it',
      (name) => {
        // Prepare
        const given = env({ [name]: '' }, HELPDESK_ENV);

        // Act
        const load = (): unknown => loadSettings(given, helpdeskFaq);

        // Assess
        expect(load).toThrow(
          expect.objectContaining({ code: 'MISCONFIGURED', message: expect.stringContaining(name) }),
        );
      },
    );

    it('answers MISCONFIGURED when both the helpdesk token and its parameter are set', () => {
      // Prepare
      const given = env({ FEISHU_HELPDESK_TOKEN_PARAMETER: '/feishu-image-mirror/dev/helpdesk-token' }, HELPDESK_ENV);

      // Act
      const load = (): unknown => loadSettings(given, helpdeskFaq);

      // Assess
      expect(load).toThrow('set either FEISHU_HELPDESK_TOKEN or FEISHU_HELPDESK_TOKEN_PARAMETER, not both');
    });
  });

  describe('numbers', () => {
    it('accepts PRESIGN_MAX_SECONDS up to seven days (604800)', () => {
      // Act
      const settings = loadSettings(env({ PRESIGN_MAX_SECONDS: '604800' }), im);

      // Assess
      expect(settings.presignMaxSeconds).toBe(604800);
    });

    it('refuses PRESIGN_MAX_SECONDS over seven days', () => {
      // Act
      const load = (): unknown => loadSettings(env({ PRESIGN_MAX_SECONDS: '604801' }), im);

      // Assess
      expect(load).toThrow(
        expect.objectContaining({
          code: 'MISCONFIGURED',
          message: 'the setting PRESIGN_MAX_SECONDS must be from 1 to 604800',
        }),
      );
    });

    it('accepts PRESIGN_EXPIRES_SECONDS equal to PRESIGN_MAX_SECONDS', () => {
      // Act
      const settings = loadSettings(env({ PRESIGN_EXPIRES_SECONDS: '3600' }), im);

      // Assess
      expect(settings.presignExpiresSeconds).toBe(3600);
    });

    it('refuses PRESIGN_EXPIRES_SECONDS above PRESIGN_MAX_SECONDS, naming both', () => {
      // Act
      const load = (): unknown => loadSettings(env({ PRESIGN_EXPIRES_SECONDS: '3601' }), im);

      // Assess
      expect(load).toThrow(
        expect.objectContaining({
          code: 'MISCONFIGURED',
          message: 'the setting PRESIGN_EXPIRES_SECONDS must be from 1 to PRESIGN_MAX_SECONDS (3600)',
        }),
      );
    });

    it('shrinks the default PRESIGN_EXPIRES_SECONDS to a PRESIGN_MAX_SECONDS below it', () => {
      // Act
      const settings = loadSettings(env({ PRESIGN_MAX_SECONDS: '600' }), im);

      // Assess
      expect(settings).toMatchObject({ presignMaxSeconds: 600, presignExpiresSeconds: 600 });
    });

    it('accepts a PRESIGN_MAX_SECONDS below 900 when PRESIGN_EXPIRES_SECONDS fits under it', () => {
      // Act
      const settings = loadSettings(env({ PRESIGN_MAX_SECONDS: '600', PRESIGN_EXPIRES_SECONDS: '300' }), im);

      // Assess
      expect(settings).toMatchObject({ presignMaxSeconds: 600, presignExpiresSeconds: 300 });
    });

    it.each([
      ['PRESIGN_EXPIRES_SECONDS', 'abc'],
      ['PRESIGN_EXPIRES_SECONDS', '1.5'],
      ['PRESIGN_EXPIRES_SECONDS', '-1'],
      ['PRESIGN_EXPIRES_SECONDS', '15m'],
      ['PRESIGN_MAX_SECONDS', '0x10'],
      ['PRESIGN_MAX_SECONDS', '1e3'],
      ['WHITEBOARD_MAX_AGE_SECONDS', 'ten'],
      ['MAX_IMAGE_BYTES', '100MiB'],
      ['MAX_IMAGE_BYTES', '99999999999999999999'],
    ])('answers MISCONFIGURED for %s=%s, naming the setting but not the value', (name, value) => {
      // Act
      const thrown = thrownBy(() => loadSettings(env({ [name]: value }), im));

      // Assess
      expect(thrown).toMatchObject({ code: 'MISCONFIGURED', message: `the setting ${name} must be a whole number` });
    });

    it.each([
      ['PRESIGN_EXPIRES_SECONDS', '0'],
      ['PRESIGN_MAX_SECONDS', '0'],
      ['MAX_IMAGE_BYTES', '0'],
    ])('refuses %s=%s, below its minimum', (name, value) => {
      // Act
      const load = (): unknown => loadSettings(env({ [name]: value }), im);

      // Assess
      expect(load).toThrow(
        expect.objectContaining({
          code: 'MISCONFIGURED',
          message: expect.stringContaining(`the setting ${name} must be from 1`),
        }),
      );
    });

    it('accepts WHITEBOARD_MAX_AGE_SECONDS=0 (always fetch thumbnails anew)', () => {
      // Act
      const settings = loadSettings(env({ WHITEBOARD_MAX_AGE_SECONDS: '0' }), whiteboard);

      // Assess
      expect(settings.whiteboardMaxAgeSeconds).toBe(0);
    });
  });

  describe('FEISHU_BASE_URL', () => {
    it.each([
      ['https://open.larksuite.com/', 'https://open.larksuite.com'],
      ['https://open.feishu.cn///', 'https://open.feishu.cn'],
      ['http://127.0.0.1:9100', 'http://127.0.0.1:9100'],
      ['http://localhost:9100/feishu/', 'http://localhost:9100/feishu'],
    ])('turns %s into %s, without a trailing slash', (given, expected) => {
      // Act
      const settings = loadSettings(env({ FEISHU_BASE_URL: given }), im);

      // Assess
      expect(settings.feishuBaseUrl).toBe(expected);
    });

    it('refuses a value that is not a URL, without echoing it', () => {
      // Act
      const load = (): unknown => loadSettings(env({ FEISHU_BASE_URL: 'open.feishu.cn' }), im);

      // Assess
      expect(load).toThrow(
        expect.objectContaining({ code: 'MISCONFIGURED', message: 'the setting FEISHU_BASE_URL is not a URL' }),
      );
    });

    it('refuses a URL that is not http or https', () => {
      // Act
      const load = (): unknown => loadSettings(env({ FEISHU_BASE_URL: 'ftp://open.feishu.cn' }), im);

      // Assess
      expect(load).toThrow(
        expect.objectContaining({
          code: 'MISCONFIGURED',
          message: 'the setting FEISHU_BASE_URL must be an http(s) URL',
        }),
      );
    });
  });

  describe('S3_FORCE_PATH_STYLE', () => {
    it.each([
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['false', false],
      ['0', false],
    ])('reads %s as %p', (given, expected) => {
      // Act
      const settings = loadSettings(env({ S3_FORCE_PATH_STYLE: given }), im);

      // Assess
      expect(settings.s3ForcePathStyle).toBe(expected);
    });

    it('refuses any other value', () => {
      // Act
      const load = (): unknown => loadSettings(env({ S3_FORCE_PATH_STYLE: 'yes' }), im);

      // Assess
      expect(load).toThrow(
        expect.objectContaining({
          code: 'MISCONFIGURED',
          message: 'the setting S3_FORCE_PATH_STYLE must be true or false',
        }),
      );
    });
  });

  describe('IMAGE_KEY_PREFIX', () => {
    it.each(['/feishu/', 'feishu/../other/', 'feishu images/'])('refuses the prefix %p', (prefix) => {
      // Act
      const load = (): unknown => loadSettings(env({ IMAGE_KEY_PREFIX: prefix }), im);

      // Assess
      expect(load).toThrow(
        expect.objectContaining({ code: 'MISCONFIGURED', message: expect.stringContaining('IMAGE_KEY_PREFIX') }),
      );
    });

    it.each(['mirror/./', 'mirror//', 'mirror/.', 'mirror/..', './mirror/', 'a/../'])(
      'refuses the prefix %p, whose empty or dot segment URL handling could fold away',
      (prefix) => {
        // Act
        const thrown = thrownBy(() => loadSettings(env({ IMAGE_KEY_PREFIX: prefix }), im));

        // Assess
        expect(thrown).toMatchObject({
          code: 'MISCONFIGURED',
          message: "the setting IMAGE_KEY_PREFIX must not hold an empty, '.' or '..' segment (such as '//' or '/./')",
        });
      },
    );

    it.each(['feishu/', 'mirror/feishu/', 'img-', 'mirror/v1.2/', 'a.b/'])('takes the prefix %p', (prefix) => {
      // Act
      const settings = loadSettings(env({ IMAGE_KEY_PREFIX: prefix }), im);

      // Assess
      expect(settings.keyPrefix).toBe(prefix);
    });
  });

  it('never echoes a wrong value, even one that holds a secret', () => {
    // Prepare
    const given = env({ FEISHU_BASE_URL: `https://app:${APP_SECRET}@open feishu cn` });

    // Act
    const thrown = thrownBy(() => loadSettings(given, im));

    // Assess
    expect(thrown).toMatchObject({ code: 'MISCONFIGURED', message: 'the setting FEISHU_BASE_URL is not a URL' });
    expect(thrown.message).not.toContain(APP_SECRET);
  });
  describe('batches and triggers', () => {
    it("takes each endpoint's documented rate limit unless its <KIND>_RATE_LIMIT overrides it", () => {
      // Act
      const defaults = [whiteboard, im, helpdeskFaq].map(
        (endpoint) => loadSettings(env({}, HELPDESK_ENV), endpoint).rateLimit,
      );
      const overridden = loadSettings(
        env({ IM_RATE_LIMIT: '20/s, 300/min', WHITEBOARD_RATE_LIMIT: '99/s' }),
        im,
      ).rateLimit;
      const helpdesk = loadSettings(env({ HELPDESK_FAQ_RATE_LIMIT: '2/s' }, HELPDESK_ENV), helpdeskFaq).rateLimit;

      // Assess
      expect(defaults).toEqual([{ perSecond: 10 }, { perSecond: 50, perMinute: 1000 }, { perSecond: 5 }]);
      expect(overridden).toEqual({ perSecond: 20, perMinute: 300 });
      expect(helpdesk).toEqual({ perSecond: 2 });
    });

    it('reads a daily quota beside the per-second and per-minute limits', () => {
      // Act
      const limit = loadSettings(env({ IM_RATE_LIMIT: '5/s,100/min,10000/day' }), im).rateLimit;
      const daily = loadSettings(env({ IM_RATE_LIMIT: '5/s, 10000/day' }), im).rateLimit;

      // Assess
      expect(limit).toEqual({ perSecond: 5, perMinute: 100, perDay: 10000 });
      expect(daily).toEqual({ perSecond: 5, perDay: 10000 });
    });

    it.each(['10', '0/s', '10/min', '10/s,0/min', 'ten/s', '5/s,0/day', '5/s,10000/day,100/min'])(
      'refuses the rate limit %j, naming the setting and its form',
      (given) => {
        // Act
        const thrown = thrownBy(() => loadSettings(env({ WHITEBOARD_RATE_LIMIT: given }), whiteboard));

        // Assess
        expect(thrown).toMatchObject({
          code: 'MISCONFIGURED',
          message: expect.stringContaining('WHITEBOARD_RATE_LIMIT must read like 10/s, 50/s,1000/min or 5/s,10000/day'),
        });
      },
    );

    it.each([
      [
        'the shared rate budget',
        'RATE_LIMIT_TABLE',
        'rateLimitTable',
        'feishu-image-mirror-prod-RateLimitTable-1A2B3C',
      ],
      ["the 'Image Mirrored' events' bus", 'EVENT_BUS_NAME', 'eventBusName', 'default'],
    ] as const)('names %s by %s, and none when it is empty', (_, name, field, named) => {
      // Act
      const set = loadSettings(env({ [name]: named }), im);
      const unset = loadSettings(env({ [name]: '' }), im);

      // Assess
      expect(set[field]).toBe(named);
      expect(unset[field]).toBeUndefined();
    });

    it.each([
      ['RATE_LIMIT_TABLE', 'arn:aws:dynamodb:us-east-1:1:table/x', 'RATE_LIMIT_TABLE must be a DynamoDB table name'],
      [
        'EVENT_BUS_NAME',
        'arn:aws:events:us-east-1:123456789012:event-bus/images',
        'EVENT_BUS_NAME must be the name of an EventBridge bus',
      ],
    ])('refuses an ARN as %s, naming the setting', (name, arn, message) => {
      // Act
      const thrown = thrownBy(() => loadSettings(env({ [name]: arn }), im));

      // Assess
      expect(thrown).toMatchObject({ code: 'MISCONFIGURED', message: expect.stringContaining(message) });
    });

    it('reads SCHEDULED_WHITEBOARD_IDS as a comma-separated list for the whiteboard function only', () => {
      // Act
      const whiteboards = loadSettings(
        env({ SCHEDULED_WHITEBOARD_IDS: ' wb1, wb_2 ,,wb-3 ' }),
        whiteboard,
      ).scheduledIds;
      const ims = loadSettings(env({ SCHEDULED_WHITEBOARD_IDS: 'not/an/id' }), im).scheduledIds;

      // Assess
      expect(whiteboards).toEqual(['wb1', 'wb_2', 'wb-3']);
      expect(ims).toEqual([]);
    });

    it('refuses a scheduled id that is no id, naming the setting', () => {
      // Act
      const thrown = thrownBy(() => loadSettings(env({ SCHEDULED_WHITEBOARD_IDS: 'wb1,../x' }), whiteboard));

      // Assess
      expect(thrown).toMatchObject({
        code: 'MISCONFIGURED',
        message: expect.stringContaining('SCHEDULED_WHITEBOARD_IDS'),
      });
    });

    it('reads BATCH_MAX_ITEMS from 1 to 2000, the most whose answers Lambda can return', () => {
      // Act
      const settings = loadSettings(env({ BATCH_MAX_ITEMS: '250' }), im);
      const thrown = thrownBy(() => loadSettings(env({ BATCH_MAX_ITEMS: '2001' }), im));

      // Assess
      expect(settings.batchMaxItems).toBe(250);
      expect(thrown).toMatchObject({
        code: 'MISCONFIGURED',
        message: 'the setting BATCH_MAX_ITEMS must be from 1 to 2000',
      });
    });

    it('reads BATCH_CONCURRENCY and MANIFEST_MAX_BYTES within their ranges', () => {
      // Act
      const settings = loadSettings(env({ BATCH_CONCURRENCY: '4', MANIFEST_MAX_BYTES: '2048' }), im);
      const thrown = thrownBy(() => loadSettings(env({ BATCH_CONCURRENCY: '65' }), im));

      // Assess
      expect(settings).toMatchObject({ batchConcurrency: 4, manifestMaxBytes: 2048 });
      expect(thrown).toMatchObject({
        code: 'MISCONFIGURED',
        message: expect.stringContaining('BATCH_CONCURRENCY must be from 1 to 64'),
      });
    });

    it.each(['requests/', 'results/x/'])(
      'refuses IMAGE_KEY_PREFIX %j, where manifests and their results live',
      (given) => {
        // Act
        const thrown = thrownBy(() => loadSettings(env({ IMAGE_KEY_PREFIX: given }), im));

        // Assess
        expect(thrown).toMatchObject({
          code: 'MISCONFIGURED',
          message: expect.stringContaining('IMAGE_KEY_PREFIX must not start with requests/ or results/'),
        });
      },
    );
  });
});
