/** The bucket of a deployed function's settings in unit tests. */
export const HANDLER_BUCKET = 'feishu-image-mirror-dev-images';
/** Its app secret, which no answer or log may show. */
export const HANDLER_APP_SECRET = 'Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd';

/** The environment of a deployed function whose settings are complete. */
const ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  FEISHU_BASE_URL: 'https://open.feishu.test',
  FEISHU_APP_ID: 'cli_a1b2c3d4e5f6a7b8',
  FEISHU_APP_SECRET: HANDLER_APP_SECRET,
  IMAGE_BUCKET: HANDLER_BUCKET,
};

/** Every setting a test set, so that the next test starts without it. */
const touched = new Set([
  ...Object.keys(ENV),
  'FEISHU_HELPDESK_ID',
  'FEISHU_HELPDESK_TOKEN',
  'WHITEBOARD_MAX_AGE_SECONDS',
  'PRESIGN_MAX_SECONDS',
]);

/**
 * Sets the environment of a deployed function (a handler made by createHandler reads its
 * settings from it), with the test's own changes: a value replaces a setting, undefined removes it.
 *
 * @example
 * setHandlerEnv({ DOCX_RATE_LIMIT: '1000/s' });
 */
export function setHandlerEnv(overrides: Record<string, string | undefined> = {}): void {
  for (const name of touched) delete process.env[name];
  for (const [name, value] of Object.entries({ ...ENV, ...overrides })) {
    touched.add(name);
    if (value !== undefined) process.env[name] = value;
  }
}
