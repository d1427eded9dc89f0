import {
  Agent as HttpAgent,
  request as httpSend,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsSend } from 'node:https';

// Kept for the container's life: warm invocations skip TCP and TLS setup with Feishu (the AWS
// SDK keeps its own kept-alive connections to S3 and SSM).
const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

/**
 * Starts a request with Node's own HTTP client (http or https, by the URL) over the
 * container's kept-alive connections.
 *
 * @example
 * const request = keepAliveRequest(url, { method: 'GET', headers }, (response) => { … });
 * request.end();
 */
export function keepAliveRequest(
  url: URL,
  options: RequestOptions,
  onResponse: (response: IncomingMessage) => void,
): ClientRequest {
  const send = url.protocol === 'https:' ? httpsSend : httpSend;
  return send(url, { ...options, agent: agents[url.protocol as keyof typeof agents] }, onResponse);
}
