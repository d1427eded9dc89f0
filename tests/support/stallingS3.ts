import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './listenOnLoopback';

/** How the stalling server misbehaves. */
export type Stall =
  /** Accepts the connection and the request, and never answers a byte. */
  | 'silent'
  /**
   * Answers HEAD with 404 (nothing stored), and every other request with its status and headers,
   * then stalls mid-body.
   */
  | 'headersThenStall';

/** An S3 endpoint that hangs. */
export interface StallingS3 {
  endpoint: string;
  /** `METHOD path` of every request received. */
  requests: string[];
  stall(mode: Stall): void;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on a free loopback port that stands in for an S3 endpoint gone wrong:
 * it never answers, or answers the headers and then never finishes the body. It proves that
 * the functions' calls end with the invocation's time, whatever the SDK's own timeouts.
 *
 * @example
 * const s3 = await startStallingS3(); s3.stall('headersThenStall');
 */
export async function startStallingS3(): Promise<StallingS3> {
  const requests: string[] = [];
  let mode: Stall = 'silent';
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(`${request.method} ${request.url}`);
    request.resume();
    if (mode === 'silent') return;
    if (request.method === 'HEAD') {
      response.writeHead(404, { 'x-amz-request-id': 'STALL0000000001' }).end();
      return;
    }
    request.once('end', () => {
      response.writeHead(200, {
        'content-type': 'application/xml',
        'content-length': '1024',
        'x-amz-request-id': 'STALL0000000002',
      });
      response.write('<?xml version="1.0" encoding="UTF-8"?>');
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    endpoint: url,
    requests,
    stall(next) {
      mode = next;
    },
    close,
  };
}
