import type { Clients } from '../../../lib/clients/Clients';
import { ssmParameterStore } from '../../../lib/clients/ssmParameterStore';
import { forgetSecret, resolveSecret } from '../../../lib/feishu/resolveSecret';
import { Deadline } from '../../../lib/runtime/Deadline';
import { redact } from '../../../lib/runtime/redact';
import type { SecretSource } from '../../../lib/settings/Settings';
import { LOCAL_SSM_CREDENTIALS, startLocalSsm, type LocalSsm } from '../../sandbox/ssm/startLocalSsm';
import { rejectionOf } from '../helpers/thrownBy';

let ssm: LocalSsm;
let clients: Pick<Clients, 'parameters'>;
const saved = { ...process.env };

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

// Powertools caches parameters per name for the whole module: every test reads its own name.
let parameterCount = 0;
function freshParameter(value?: string): SecretSource & { parameterName: string } {
  parameterCount += 1;
  const parameterName = `/feishu-image-mirror/test/app-secret-${parameterCount}`;
  if (value !== undefined) ssm.put(parameterName, value);
  return { parameterName, setting: 'FEISHU_APP_SECRET_PARAMETER' };
}

beforeAll(async () => {
  ssm = await startLocalSsm();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_SSM_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_SSM_CREDENTIALS.secretAccessKey,
  });
  delete process.env.AWS_SESSION_TOKEN;
  // The real SSM path: Powertools' provider over the SDK's SSM client, against the local server.
  const parameters = ssmParameterStore();
  clients = { parameters: async () => parameters };
});
afterAll(async () => {
  process.env = saved;
  await ssm.close();
});

describe('Function: resolveSecret', () => {
  beforeEach(() => {
    ssm.calls.length = 0;
  });

  it('answers a secret given directly without calling SSM', async () => {
    // Act
    const value = await resolveSecret(
      { value: 'Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd', setting: 'FEISHU_APP_SECRET' },
      clients,
      new Deadline(10_000).signal,
    );

    // Assess
    expect(value).toBe('Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd');
    expect(ssm.calls).toHaveLength(0);
  });

  it('registers a direct secret so that redact removes it', async () => {
    // Prepare
    const secret = 'Direct-Secret-For-Redaction-4f2a';

    // Act
    await resolveSecret({ value: secret, setting: 'FEISHU_HELPDESK_TOKEN' }, clients, new Deadline(10_000).signal);

    // Assess
    expect(redact(`app_secret=${secret}`)).toBe('app_secret=[redacted]');
  });

  it('reads an SSM SecureString with decryption', async () => {
    // Prepare
    const source = freshParameter('Ssm-Secret-Value-0001');

    // Act
    const value = await resolveSecret(source, clients, new Deadline(10_000).signal);

    // Assess
    expect(value).toBe('Ssm-Secret-Value-0001');
    expect(ssm.calls).toEqual([{ name: source.parameterName, withDecryption: true, signatureValid: true }]);
  });

  it('keeps the value read from SSM: a second read makes no SSM call', async () => {
    // Prepare
    const source = freshParameter('Ssm-Secret-Value-0002');
    await resolveSecret(source, clients, new Deadline(10_000).signal);

    // Act
    const again = await resolveSecret(source, clients, new Deadline(10_000).signal);

    // Assess
    expect(again).toBe('Ssm-Secret-Value-0002');
    expect(ssm.calls).toHaveLength(1);
  });

  it('reads SSM again after forgetSecret, picking up a rotated value', async () => {
    // Prepare
    const source = freshParameter('Ssm-Secret-Before-Rotation');
    await resolveSecret(source, clients, new Deadline(10_000).signal);
    ssm.put(source.parameterName, 'Ssm-Secret-After-Rotation');

    // Act
    forgetSecret(source);
    const rotated = await resolveSecret(source, clients, new Deadline(10_000).signal);

    // Assess
    expect(rotated).toBe('Ssm-Secret-After-Rotation');
    expect(ssm.calls).toHaveLength(2);
  });

  it('goes back to the cache after the one forced read', async () => {
    // Prepare
    const source = freshParameter('Ssm-Secret-Value-0003');
    await resolveSecret(source, clients, new Deadline(10_000).signal);
    forgetSecret(source);
    await resolveSecret(source, clients, new Deadline(10_000).signal);

    // Act
    await resolveSecret(source, clients, new Deadline(10_000).signal);

    // Assess
    expect(ssm.calls).toHaveLength(2);
  });

  it('does nothing when asked to forget a secret given directly', async () => {
    // Prepare
    const source: SecretSource = { value: 'Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd', setting: 'FEISHU_APP_SECRET' };

    // Act
    forgetSecret(source);
    const value = await resolveSecret(source, clients, new Deadline(10_000).signal);

    // Assess
    expect(value).toBe('Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd');
    expect(ssm.calls).toHaveLength(0);
  });

  it('registers a value read from SSM so that redact removes it', async () => {
    // Prepare
    const source = freshParameter('Ssm-Secret-For-Redaction-77');

    // Act
    await resolveSecret(source, clients, new Deadline(10_000).signal);

    // Assess
    expect(redact('the secret is Ssm-Secret-For-Redaction-77.')).toBe('the secret is [redacted].');
  });

  it('answers MISCONFIGURED naming the setting when the parameter does not exist', async () => {
    // Prepare
    const source = freshParameter();

    // Act
    const error = await rejectionOf(resolveSecret(source, clients, new Deadline(10_000).signal));

    // Assess
    expect(error).toMatchObject({ code: 'MISCONFIGURED', name: 'MisconfiguredError', retryable: false });
    expect(error.message).toBe(
      'could not read the SSM parameter named by FEISHU_APP_SECRET_PARAMETER (ParameterNotFound)',
    );
  });

  it.each(['AccessDeniedException', 'KMSAccessDeniedException', 'ValidationException'])(
    'answers MISCONFIGURED when SSM says %s',
    async (name) => {
      // Prepare
      const source = freshParameter('never-read');
      ssm.failNext(name, 400);

      // Act
      const error = await rejectionOf(resolveSecret(source, clients, new Deadline(10_000).signal));

      // Assess
      expect(error).toMatchObject({
        code: 'MISCONFIGURED',
        message: `could not read the SSM parameter named by FEISHU_APP_SECRET_PARAMETER (${name})`,
      });
    },
  );

  it('answers a retryable error, not MISCONFIGURED, when SSM throttles every attempt', async () => {
    // Prepare
    const source = freshParameter('never-read');
    ssm.failNext('ThrottlingException', 400, 3);

    // Act
    const error = await rejectionOf(resolveSecret(source, clients, new Deadline(10_000).signal));

    // Assess
    expect(error).toMatchObject({
      retryable: true,
      message: expect.stringContaining('FEISHU_APP_SECRET_PARAMETER (ThrottlingException); try again'),
    });
    expect(error.code).not.toBe('MISCONFIGURED');
  });

  it('answers MISCONFIGURED when the parameter is empty', async () => {
    // Prepare
    const source = freshParameter('');

    // Act
    const error = await rejectionOf(resolveSecret(source, clients, new Deadline(10_000).signal));

    // Assess
    expect(error).toMatchObject({
      code: 'MISCONFIGURED',
      message: 'the SSM parameter named by FEISHU_APP_SECRET_PARAMETER is empty',
    });
  });

  it('does not cache a failed read', async () => {
    // Prepare
    const source = freshParameter('Ssm-Secret-Value-0004');
    ssm.failNext('ThrottlingException', 400, 3);
    await rejectionOf(resolveSecret(source, clients, new Deadline(10_000).signal));

    // Act
    const value = await resolveSecret(source, clients, new Deadline(10_000).signal);

    // Assess
    expect(value).toBe('Ssm-Secret-Value-0004');
    expect(ssm.calls).toHaveLength(4);
  });

  it('retries a throttled read and answers the value once SSM recovers', async () => {
    // Prepare
    const source = freshParameter('Ssm-Secret-Value-0005');
    ssm.failNext('ThrottlingException', 400, 2);

    // Act
    const value = await resolveSecret(source, clients, new Deadline(10_000).signal);

    // Assess
    expect(value).toBe('Ssm-Secret-Value-0005');
    expect(ssm.calls).toHaveLength(3);
  });

  it('answers MISCONFIGURED naming the credentials when the SDK finds none', async () => {
    // Prepare: no keys in the environment and no profile to fall back on (the instance role is off in tests).
    const source = freshParameter('Ssm-Secret-Value-0006');
    const without = {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: undefined,
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_CONFIG_FILE: '/nonexistent/config',
    };
    const before = Object.fromEntries(Object.keys(without).map((name) => [name, process.env[name]]));
    setEnv(without);
    const parameters = ssmParameterStore();

    // Act
    const error = await rejectionOf(
      resolveSecret(source, { parameters: async () => parameters }, new Deadline(10_000).signal),
    ).finally(() => setEnv(before));

    // Assess
    expect(error).toMatchObject({
      code: 'MISCONFIGURED',
      message:
        'could not read the SSM parameter named by FEISHU_APP_SECRET_PARAMETER: the AWS SDK found no credentials',
    });
    expect(ssm.calls).toHaveLength(0);
  });
});
