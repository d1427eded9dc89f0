import type { Clients } from '../clients/Clients';
import { MirrorError, misconfigured } from '../errors/MirrorError';
import { rememberSecret } from '../runtime/redact';
import type { SecretSource } from '../settings/Settings';

/** How long a secret read from SSM is reused before it is read again. */
const SECRET_MAX_AGE_SECONDS = 300;

// Parameters whose value Feishu rejected: the next read bypasses the cache, so a rotated
// secret is picked up at once instead of after SECRET_MAX_AGE_SECONDS.
const stale = new Set<string>();

/**
 * The secret's value: given directly, or read from an SSM SecureString (decrypted, cached in
 * the container for five minutes) through the clients' parameter store, within the signal's
 * time. Failures name the setting, never the value.
 *
 * @example
 * const secret = await resolveSecret(
 *   { parameterName: '/feishu/app-secret', setting: 'FEISHU_APP_SECRET_PARAMETER' },
 *   clients,
 *   deadline.signal,
 * );
 */
export async function resolveSecret(
  source: SecretSource,
  clients: Pick<Clients, 'parameters'>,
  abortSignal: AbortSignal,
): Promise<string> {
  if ('value' in source) {
    rememberSecret(source.value);
    return source.value;
  }
  const forceFetch = stale.delete(source.parameterName);
  let value: string | undefined;
  try {
    const parameters = await clients.parameters();
    value = await parameters.get(source.parameterName, {
      maxAgeSeconds: SECRET_MAX_AGE_SECONDS,
      forceFetch,
      abortSignal,
    });
  } catch (error) {
    if (error instanceof Error && error.cause instanceof MirrorError) throw error.cause;
    const name = rootName(error);
    if (name === 'AbortError') {
      throw new MirrorError(
        'UPSTREAM_TIMEOUT',
        `SSM did not answer for the parameter named by ${source.setting} in the time the invocation had left`,
        { cause: error },
      );
    }
    if (name === 'CredentialsProviderError')
      throw misconfigured(
        `could not read the SSM parameter named by ${source.setting}: the AWS SDK found no credentials`,
        error,
      );
    if (
      name === 'ParameterNotFound' ||
      name === 'AccessDeniedException' ||
      name.startsWith('KMS') ||
      name === 'ValidationException'
    ) {
      throw misconfigured(`could not read the SSM parameter named by ${source.setting} (${name})`, error);
    }
    throw new MirrorError(
      'UPSTREAM_ERROR',
      `could not read the SSM parameter named by ${source.setting} (${name}); try again`,
      { cause: error },
    );
  }
  if (value === undefined || value === '') throw misconfigured(`the SSM parameter named by ${source.setting} is empty`);
  rememberSecret(value);
  return value;
}

/** Marks a secret as rejected, so the next read goes to SSM again. */
export function forgetSecret(source: SecretSource): void {
  if ('parameterName' in source) stale.add(source.parameterName);
}

function rootName(error: unknown): string {
  let current: unknown = error;
  // Powertools wraps the call's error in its own GetParameterError; the cause names what happened.
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.name : 'UnknownError';
}
