import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMGetOptions } from '@aws-lambda-powertools/parameters/ssm/types';
import type { ParameterStore } from './Clients';

/** Powertools' options, with the signal that ends the call when the invocation's time does. */
type AbortableGetOptions = SSMGetOptions & { abortSignal?: AbortSignal };

/**
 * Powertools' SSMProvider (its cache, `maxAge` and `forceFetch`) whose one call, a decrypted
 * GetParameter, takes the invocation's abort signal: Powertools sends it without one.
 */
class AbortableSsmProvider extends SSMProvider {
  protected override async _get(name: string, options?: AbortableGetOptions): Promise<string | undefined> {
    const answer = await this.client.send(new GetParameterCommand({ Name: name, WithDecryption: true }), {
      abortSignal: options?.abortSignal,
    });
    return answer.Parameter?.Value;
  }
}

/**
 * SSM parameters through Powertools over `@aws-sdk/client-ssm`, with the SDK's credential
 * chain, region, endpoint (`AWS_ENDPOINT_URL_SSM`) and standard retries. `containerClients`
 * calls it at the first parameter read, so a function configured with plain secrets never builds it.
 *
 * @example
 * const value = await ssmParameterStore().get('/feishu/app-secret', {
 *   maxAgeSeconds: 300,
 *   forceFetch: false,
 *   abortSignal,
 * });
 */
export function ssmParameterStore(): ParameterStore {
  const provider = new AbortableSsmProvider({ clientConfig: { retryMode: 'standard', maxAttempts: 3 } });
  return {
    async get(name, { maxAgeSeconds, forceFetch, abortSignal }) {
      const options: AbortableGetOptions = { maxAge: maxAgeSeconds, forceFetch, decrypt: true, abortSignal };
      return (await provider.get(name, options)) as string | undefined;
    },
  };
}
