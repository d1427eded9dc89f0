import type { Transport } from './MirrorRequest';

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
