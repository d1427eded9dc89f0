import 'aws-sdk-client-mock-jest';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { ssmParameterStore } from '../../../lib/clients/ssmParameterStore';
import { forgetSecret, resolveSecret } from '../../../lib/feishu/resolveSecret';
import { Deadline } from '../../../lib/runtime/Deadline';
import type { SecretSource } from '../../../lib/settings/Settings';
import { rejectionOf } from '../helpers/thrownBy';

// Every SSMClient the store builds answers from this mock (aws-sdk-client-mock stubs the class).
const ssm = mockClient(SSMClient);
const saved = { ...process.env };

let count = 0;
function source(): SecretSource & { parameterName: string } {
  count += 1;
  return { parameterName: `/feishu-image-mirror/prod/app-secret-${count}`, setting: 'FEISHU_APP_SECRET_PARAMETER' };
}

function answer(name: string, value: string) {
  return {
    Parameter: {
      Name: name,
      Type: 'SecureString' as const,
      Value: value,
      Version: 3,
      ARN: `arn:aws:ssm:ap-southeast-1:123456789012:parameter${name}`,
    },
  };
}

describe("SSM secrets: Powertools' SSMProvider over the SDK's SSM client", () => {
  beforeAll(() => {
    Object.assign(process.env, {
      AWS_REGION: 'ap-southeast-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
  });
  afterAll(() => {
    process.env = saved;
    ssm.restore();
  });
  beforeEach(() => ssm.reset());

  it("sends one decrypted GetParameter for the named parameter, with the invocation's abort signal", async () => {
    // Prepare
    const secret = source();
    ssm.on(GetParameterCommand).resolves(answer(secret.parameterName, 'Ssm-Mocked-Secret-0001'));
    const { signal } = new Deadline(10_000);

    // Act
    const value = await resolveSecret(secret, { parameters: async () => ssmParameterStore() }, signal);

    // Assess
    expect(value).toBe('Ssm-Mocked-Secret-0001');
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: secret.parameterName, WithDecryption: true });
    expect((ssm.call(0).args as unknown[])[1]).toEqual({ abortSignal: signal });
  });

  it('answers from its cache within five minutes, and from SSM at once after Feishu rejected the secret', async () => {
    // Prepare
    const secret = source();
    const parameters = ssmParameterStore();
    const clients = { parameters: async () => parameters };
    ssm
      .on(GetParameterCommand)
      .resolvesOnce(answer(secret.parameterName, 'Ssm-Before-Rotation'))
      .resolves(answer(secret.parameterName, 'Ssm-After-Rotation'));
    const signal = () => new Deadline(10_000).signal;
    await resolveSecret(secret, clients, signal());
    const cached = await resolveSecret(secret, clients, signal());

    // Act
    forgetSecret(secret);
    const rotated = await resolveSecret(secret, clients, signal());

    // Assess
    expect(cached).toBe('Ssm-Before-Rotation');
    expect(rotated).toBe('Ssm-After-Rotation');
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 2);
  });

  it('answers MISCONFIGURED naming the setting when the parameter does not exist', async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: { httpStatusCode: 400 } }));

    // Act
    const error = await rejectionOf(
      resolveSecret(source(), { parameters: async () => ssmParameterStore() }, new Deadline(10_000).signal),
    );

    // Assess
    expect(error).toMatchObject({
      code: 'MISCONFIGURED',
      message: 'could not read the SSM parameter named by FEISHU_APP_SECRET_PARAMETER (ParameterNotFound)',
    });
  });

  it(
    'answers UPSTREAM_TIMEOUT, retryable, ' + 'when the call was aborted because the invocation ran out of time',
    async () => {
      // Prepare
      ssm.on(GetParameterCommand).rejects(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));

      // Act
      const error = await rejectionOf(
        resolveSecret(source(), { parameters: async () => ssmParameterStore() }, new Deadline(10_000).signal),
      );

      // Assess
      expect(error).toMatchObject({
        code: 'UPSTREAM_TIMEOUT',
        retryable: true,
        message: expect.stringContaining('FEISHU_APP_SECRET_PARAMETER in the time the invocation had left'),
      });
    },
  );
});
