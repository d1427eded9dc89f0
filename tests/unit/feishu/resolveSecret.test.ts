import { GetParameterCommand, ParameterNotFound, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { forgetSecret, resolveSecret } from '../../../lib/feishu/resolveSecret';
import { redact } from '../../../lib/runtime/redact';
import type { SecretSource } from '../../../lib/settings/Settings';
import { rejectionOf } from '../helpers/thrownBy';

const ssm = mockClient(SSMClient);

// Powertools caches parameters per name for the whole module: every test reads its own name.
let parameterCount = 0;
function freshParameter(): SecretSource {
  parameterCount += 1;
  return { parameterName: `/feishu-image-mirror/test/app-secret-${parameterCount}`, setting: 'FEISHU_APP_SECRET_PARAMETER' };
}

function answerWith(value: string): void {
  ssm.on(GetParameterCommand).callsFake((input: { Name?: string }) => ({
    Parameter: { Name: input.Name, Type: 'SecureString', Value: value, Version: 3 },
  }));
}

function ssmError(name: string, httpStatusCode = 400): SSMServiceException {
  return new SSMServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode }, message: `${name}: something` });
}

describe('Function: resolveSecret', () => {
  beforeEach(() => {
    ssm.reset();
  });

  it('answers a secret given directly without calling SSM', async () => {
    // Act
    const value = await resolveSecret({ value: 'Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd', setting: 'FEISHU_APP_SECRET' });

    // Assess
    expect(value).toBe('Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd');
    expect(ssm.calls()).toHaveLength(0);
  });

  it('registers a direct secret so that redact removes it', async () => {
    // Prepare
    const secret = 'Direct-Secret-For-Redaction-4f2a';

    // Act
    await resolveSecret({ value: secret, setting: 'FEISHU_HELPDESK_TOKEN' });

    // Assess
    expect(redact(`app_secret=${secret}`)).toBe('app_secret=[redacted]');
  });

  it('reads an SSM SecureString with decryption', async () => {
    // Prepare
    const source = freshParameter();
    answerWith('Ssm-Secret-Value-0001');

    // Act
    const value = await resolveSecret(source);

    // Assess
    expect(value).toBe('Ssm-Secret-Value-0001');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({ Name: (source as { parameterName: string }).parameterName, WithDecryption: true });
  });

  it('keeps the value read from SSM: a second read makes no SSM call', async () => {
    // Prepare
    const source = freshParameter();
    answerWith('Ssm-Secret-Value-0002');
    await resolveSecret(source);

    // Act
    const again = await resolveSecret(source);

    // Assess
    expect(again).toBe('Ssm-Secret-Value-0002');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('reads SSM again after forgetSecret, picking up a rotated value', async () => {
    // Prepare
    const source = freshParameter();
    answerWith('Ssm-Secret-Before-Rotation');
    await resolveSecret(source);
    answerWith('Ssm-Secret-After-Rotation');

    // Act
    forgetSecret(source);
    const rotated = await resolveSecret(source);

    // Assess
    expect(rotated).toBe('Ssm-Secret-After-Rotation');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('goes back to the cache after the one forced read', async () => {
    // Prepare
    const source = freshParameter();
    answerWith('Ssm-Secret-Value-0003');
    await resolveSecret(source);
    forgetSecret(source);
    await resolveSecret(source);

    // Act
    await resolveSecret(source);

    // Assess
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('does nothing when asked to forget a secret given directly', async () => {
    // Prepare
    const source: SecretSource = { value: 'Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd', setting: 'FEISHU_APP_SECRET' };

    // Act
    forgetSecret(source);
    const value = await resolveSecret(source);

    // Assess
    expect(value).toBe('Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd');
    expect(ssm.calls()).toHaveLength(0);
  });

  it('registers a value read from SSM so that redact removes it', async () => {
    // Prepare
    const source = freshParameter();
    answerWith('Ssm-Secret-For-Redaction-77');

    // Act
    await resolveSecret(source);

    // Assess
    expect(redact('the secret is Ssm-Secret-For-Redaction-77.')).toBe('the secret is [redacted].');
  });

  it('answers MISCONFIGURED naming the setting when the parameter does not exist', async () => {
    // Prepare
    const source = freshParameter();
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: { httpStatusCode: 400 } }));

    // Act
    const error = await rejectionOf(resolveSecret(source));

    // Assess
    expect(error).toMatchObject({ code: 'MISCONFIGURED', name: 'MisconfiguredError', retryable: false });
    expect(error.message).toBe('could not read the SSM parameter named by FEISHU_APP_SECRET_PARAMETER (ParameterNotFound)');
  });

  it.each(['AccessDeniedException', 'KMSAccessDeniedException', 'ValidationException'])('answers MISCONFIGURED when SSM says %s', async (name) => {
    // Prepare
    const source = freshParameter();
    ssm.on(GetParameterCommand).rejects(ssmError(name));

    // Act
    const error = await rejectionOf(resolveSecret(source));

    // Assess
    expect(error).toMatchObject({ code: 'MISCONFIGURED', message: `could not read the SSM parameter named by FEISHU_APP_SECRET_PARAMETER (${name})` });
  });

  it('answers a retryable error, not MISCONFIGURED, when SSM fails for a while', async () => {
    // Prepare
    const source = freshParameter();
    ssm.on(GetParameterCommand).rejects(ssmError('ThrottlingException'));

    // Act
    const error = await rejectionOf(resolveSecret(source));

    // Assess
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('FEISHU_APP_SECRET_PARAMETER (ThrottlingException); try again') });
    expect(error.code).not.toBe('MISCONFIGURED');
  });

  it('answers MISCONFIGURED when the parameter is empty', async () => {
    // Prepare
    const source = freshParameter();
    answerWith('');

    // Act
    const error = await rejectionOf(resolveSecret(source));

    // Assess
    expect(error).toMatchObject({ code: 'MISCONFIGURED', message: 'the SSM parameter named by FEISHU_APP_SECRET_PARAMETER is empty' });
  });

  it('does not cache a failed read', async () => {
    // Prepare
    const source = freshParameter();
    ssm.on(GetParameterCommand).rejectsOnce(ssmError('ThrottlingException')).callsFake((input: { Name?: string }) => ({
      Parameter: { Name: input.Name, Type: 'SecureString', Value: 'Ssm-Secret-Value-0004' },
    }));
    await rejectionOf(resolveSecret(source));

    // Act
    const value = await resolveSecret(source);

    // Assess
    expect(value).toBe('Ssm-Secret-Value-0004');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });
});
