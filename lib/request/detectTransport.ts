/** How the event reached the function, which decides the shape of the answer. */
export type Transport = 'rest' | 'http' | 'direct';

/**
 * Tells apart the event shapes a function receives: API Gateway REST (payload v1), HTTP API
 * or Function URL (payload v2), and anything else, which is a direct payload (Invoke, Step
 * Functions, an EventBridge target with constant input).
 */
export function detectTransport(event: unknown): Transport {
  if (typeof event !== 'object' || event === null) return 'direct';
  const record = event as { version?: unknown; httpMethod?: unknown; requestContext?: { http?: unknown } };
  if (record.version === '2.0' && typeof record.requestContext?.http === 'object') return 'http';
  if (typeof record.httpMethod === 'string' && typeof record.requestContext === 'object') return 'rest';
  return 'direct';
}

/** API Gateway stops waiting for an integration after 29 s (REST) or 30 s (HTTP API). */
const GATEWAY_TIMEOUT_MS = 29_000;

/**
 * How long the caller will wait for the answer: API Gateway gives up after its integration
 * timeout, so the function must answer (UPSTREAM_TIMEOUT at worst) before that; Function URLs,
 * direct invokers and Step Functions wait as long as the function runs.
 */
export function callerWaitsMs(event: unknown, transport: Transport): number {
  if (transport === 'direct') return Infinity;
  const domain = (event as { requestContext?: { domainName?: unknown } }).requestContext?.domainName;
  const functionUrl = transport === 'http' && typeof domain === 'string' && domain.includes('.lambda-url.');
  return functionUrl ? Infinity : GATEWAY_TIMEOUT_MS;
}
