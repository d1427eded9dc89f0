import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './listenOnLoopback';

/** What the proxy does to the requests it sees. */
export type S3Fault =
  /** Forward everything. */
  | { type: 'none' }
  /** Answer every UploadPart from part `fromPart` on with `status` and an S3 error body: S3 refusing a part. */
  | { type: 'refusePart'; fromPart: number; status?: number }
  /** Destroy the connection of every request, without an answer: S3 down (each request is still recorded). */
  | { type: 'down' };

/** A fault-injecting HTTP proxy in front of an S3 server. */
export interface S3FaultProxy {
  /** `http://127.0.0.1:PORT`: point AWS_ENDPOINT_URL_S3 here. */
  url: string;
  /**
   * The S3 operation of every request seen, in order (`UploadPart`, `AbortMultipartUpload`, …),
   * faulted ones included.
   */
  operations: string[];
  fault(fault: S3Fault): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy that forwards each request unchanged (Host header included, so SigV4
 * signatures still verify) to `target`, unless the current fault says otherwise. It lets a
 * test make a real S3 server refuse the Nth part of an upload, then check on the server
 * itself what was left.
 *
 * @example
 * const proxy = await startS3FaultProxy('http://127.0.0.1:7480');
 * proxy.fault({ type: 'refusePart', fromPart: 3 });
 */
export async function startS3FaultProxy(target: string): Promise<S3FaultProxy> {
  const upstream = new URL(target);
  const operations: string[] = [];
  let current: S3Fault = { type: 'none' };

  const server = createServer((incoming: IncomingMessage, answer: ServerResponse) => {
    const url = new URL(incoming.url ?? '/', 'http://proxy');
    const operation = s3Operation(incoming.method ?? 'GET', url.searchParams);
    operations.push(operation);
    if (current.type === 'down') {
      incoming.socket.destroy();
      return;
    }
    const part = Number(url.searchParams.get('partNumber'));
    if (current.type === 'refusePart' && operation === 'UploadPart' && part >= current.fromPart) {
      incoming.resume();
      incoming.once('end', () => {
        answer.writeHead(current.type === 'refusePart' ? (current.status ?? 500) : 500, {
          'content-type': 'application/xml',
          connection: 'close',
        });
        answer.end(
          '<?xml version="1.0" encoding="UTF-8"?>' +
            '<Error><Code>InternalError</Code><Message>part refused by the fault proxy</Message></Error>',
        );
      });
      return;
    }
    const outgoing = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (reply) => {
        answer.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(answer);
      },
    );
    outgoing.on('error', () => answer.destroy());
    incoming.pipe(outgoing);
  });
  const { url, close } = await listenOnLoopback(server);

  return {
    url,
    operations,
    fault(fault) {
      current = fault;
    },
    close,
  };
}

/** The S3 operation a path-style request asks for, told apart by method and query. */
export function s3Operation(method: string, query: URLSearchParams): string {
  if (query.has('partNumber') && query.has('uploadId')) return 'UploadPart';
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'DELETE' && query.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'GET' && query.has('uploads')) return 'ListMultipartUploads';
  return { HEAD: 'HeadObject', GET: 'GetObject', PUT: 'PutObject', DELETE: 'DeleteObject' }[method] ?? method;
}
