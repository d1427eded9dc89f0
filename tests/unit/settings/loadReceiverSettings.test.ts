import { feishuEvents } from '../../../lib/endpoints';
import { loadReceiverSettings, queueUrlSettingName } from '../../../lib/settings/loadSettings';

const QUEUE_URL = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/feishu-image-mirror-prod-messageImage';
const ENV = {
  FEISHU_APP_ID: 'cli_a1b2c3d4e5f6',
  FEISHU_ENCRYPT_KEY: 'encrypt-key-0123',
  FEISHU_VERIFICATION_TOKEN: 'verification-token-0123',
  MESSAGE_IMAGE_QUEUE_URL: QUEUE_URL,
  RATE_LIMIT_TABLE: 'feishu-image-mirror-prod-rate-limits',
};

describe('Function: loadReceiverSettings', () => {
  it("reads the app, its two secrets, the queue's URL and the record table", () => {
    // Act
    const settings = loadReceiverSettings(ENV, feishuEvents);

    // Assess
    expect(settings).toEqual({
      appId: 'cli_a1b2c3d4e5f6',
      encryptKey: { value: 'encrypt-key-0123', setting: 'FEISHU_ENCRYPT_KEY' },
      verificationToken: { value: 'verification-token-0123', setting: 'FEISHU_VERIFICATION_TOKEN' },
      queueUrl: QUEUE_URL,
      chatIds: [],
      recordTable: 'feishu-image-mirror-prod-rate-limits',
    });
  });

  it('takes both secrets from SSM when their parameters are named', () => {
    // Prepare
    const env = {
      ...ENV,
      FEISHU_ENCRYPT_KEY: '',
      FEISHU_VERIFICATION_TOKEN: undefined,
      FEISHU_ENCRYPT_KEY_PARAMETER: '/feishu-image-mirror/prod/encrypt-key',
      FEISHU_VERIFICATION_TOKEN_PARAMETER: '/feishu-image-mirror/prod/verification-token',
    };

    // Act
    const settings = loadReceiverSettings(env, feishuEvents);

    // Assess
    expect([settings.encryptKey, settings.verificationToken]).toEqual([
      { parameterName: '/feishu-image-mirror/prod/encrypt-key', setting: 'FEISHU_ENCRYPT_KEY_PARAMETER' },
      { parameterName: '/feishu-image-mirror/prod/verification-token', setting: 'FEISHU_VERIFICATION_TOKEN_PARAMETER' },
    ]);
  });

  it('reads EVENT_CHAT_IDS as a list of chat ids', () => {
    // Act
    const settings = loadReceiverSettings({ ...ENV, EVENT_CHAT_IDS: 'oc_a1, oc_b2,,' }, feishuEvents);

    // Assess
    expect(settings.chatIds).toEqual(['oc_a1', 'oc_b2']);
  });

  it.each([
    ['without an Encrypt Key', { FEISHU_ENCRYPT_KEY: '' }, 'FEISHU_ENCRYPT_KEY (or FEISHU_ENCRYPT_KEY_PARAMETER)'],
    ['without a Verification Token', { FEISHU_VERIFICATION_TOKEN: undefined }, 'FEISHU_VERIFICATION_TOKEN'],
    ['with both the Encrypt Key and its parameter', { FEISHU_ENCRYPT_KEY_PARAMETER: '/x/encrypt-key' }, 'not both'],
    ["without the queue's URL", { MESSAGE_IMAGE_QUEUE_URL: '' }, 'MESSAGE_IMAGE_QUEUE_URL is missing'],
    [
      'with a queue name instead of its URL',
      { MESSAGE_IMAGE_QUEUE_URL: 'feishu-image-mirror-prod-messageImage' },
      "queue's URL",
    ],
    ['with a chat id that is not one', { EVENT_CHAT_IDS: 'oc_1;drop' }, 'EVENT_CHAT_IDS'],
  ])('answers MISCONFIGURED %s, naming the setting and no value', (_, change, named) => {
    // Act
    const loading = () => loadReceiverSettings({ ...ENV, ...change }, feishuEvents);

    // Assess
    expect(loading).toThrow(
      expect.objectContaining({ code: 'MISCONFIGURED', message: expect.stringContaining(named) }),
    );
    try {
      loading();
    } catch (error) {
      expect(String((error as Error).message)).not.toMatch(/encrypt-key-0123|verification-token-0123/);
    }
  });
});

describe('Function: queueUrlSettingName', () => {
  it('names the setting after the function whose queue it is, in capitals and underscores', () => {
    // Act
    const name = queueUrlSettingName(feishuEvents.enqueues);

    // Assess
    expect(name).toBe('MESSAGE_IMAGE_QUEUE_URL');
  });
});
