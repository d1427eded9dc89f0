import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import { serviceEndpoint } from './AwsCredentials';
import { AwsServiceError } from './AwsServiceError';
import type { HttpResponse } from './httpRequest';
import { sendSigned } from './sendSigned';
import { sha256Hex } from './signatureV4';

/**
 * Powertools' parameter provider (its cache, `maxAge` and `forceFetch`) over one signed
 * SSM `GetParameter` call, decrypted, instead of `@aws-sdk/client-ssm`, which would add a
 * fifth of the bundle for that one call. The endpoint is `AWS_ENDPOINT_URL_SSM` when set.
 *
 * @example
 * const secret = await new SsmParameterProvider().get('/feishu/app-secret', { maxAge: 300 });
 */
export class SsmParameterProvider extends BaseProvider {
  constructor() {
    super({});
  }

  protected async _get(name: string): Promise<string | undefined> {
    const url = serviceEndpoint('ssm', 'AWS_ENDPOINT_URL_SSM');
    const body = JSON.stringify({ Name: name, WithDecryption: true });
    const { body: answer } = await sendSigned({
      service: 'ssm', method: 'POST', url, body, payloadHash: sha256Hex(body),
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter' },
      errorOf: ssmErrorOf,
    });
    const parsed = JSON.parse(answer.toString('utf8')) as { Parameter?: { Value?: string } };
    return parsed.Parameter?.Value;
  }

  protected _getMultiple(): Promise<Record<string, unknown> | undefined> {
    throw new Error('SsmParameterProvider reads one parameter at a time');
  }
}

/** SSM's JSON error: `{"__type": "…#ParameterNotFound", "message": "…"}`. */
function ssmErrorOf(response: HttpResponse): AwsServiceError | undefined {
  if (response.status < 300) return undefined;
  let type = `Http${response.status}`;
  let message = `SSM answered HTTP ${response.status}`;
  try {
    const parsed = JSON.parse(response.body.toString('utf8')) as { __type?: string; message?: string; Message?: string };
    if (parsed.__type) type = parsed.__type.split('#').pop() ?? type;
    message = parsed.message ?? parsed.Message ?? message;
  } catch {
    // Not JSON (a proxy's page): the status names it.
  }
  const requestId = response.headers['x-amzn-requestid'];
  return new AwsServiceError(type, message, response.status, typeof requestId === 'string' ? requestId : undefined);
}
