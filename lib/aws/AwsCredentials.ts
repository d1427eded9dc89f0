import { MirrorError } from '../errors/MirrorError';

/** The keys a request is signed with. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * The function's credentials, from the environment, where Lambda puts its role's temporary
 * keys (and where local runs put theirs). Read at each call: the values are fixed for a
 * container's life in Lambda, while tests and local runs may change them.
 *
 * @example
 * const { accessKeyId } = credentialsFromEnvironment();
 */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new MirrorError('MISCONFIGURED', 'no AWS credentials in the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
  }
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

/** The region requests go to: Lambda sets AWS_REGION. */
export function regionFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

/**
 * A service's endpoint: the one named in the environment (S3-compatible servers, tests),
 * else AWS's regional one, in the `.cn` partition for China regions.
 *
 * @example
 * serviceEndpoint('ssm', 'AWS_ENDPOINT_URL_SSM'); // https://ssm.us-east-1.amazonaws.com
 */
export function serviceEndpoint(service: string, ...settings: string[]): URL {
  const given = settings.map((name) => process.env[name]).find(Boolean);
  if (given) return new URL(given);
  const region = regionFromEnvironment();
  return new URL(`https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`);
}
