import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the scripted server received it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An answer to script. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Default 0: how long to wait before answering (a slow server); close() cuts the wait short. */
  delayMs?: number;
}

/** A local HTTP server that answers from a script and records what it received. */
export interface ScriptedServer {
  endpoint: string;
  received: ReceivedRequest[];
  /** Queues answers, used in order; once the queue is empty the last one repeats. */
  answer(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

/**
 * Starts a server on a free loopback port that answers each request with the next scripted
 * answer, for testing an HTTP client's side of a protocol (headers sent, answers parsed).
 *
 * @example
 * const server = await startScriptedServer(); server.answer({ status: 404 });
 */
export async function startScriptedServer(): Promise<ScriptedServer> {
  const received: ReceivedRequest[] = [];
  let queue: ScriptedAnswer[] = [{ status: 200 }];
  const waits = new Set<NodeJS.Timeout>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      const next = queue.length > 1 ? queue.shift()! : queue[0]!;
      const send = (): void => {
        response.writeHead(next.status, next.headers ?? {});
        response.end(request.method === 'HEAD' ? undefined : next.body);
      };
      if (!next.delayMs) {
        send();
        return;
      }
      const wait = setTimeout(() => {
        waits.delete(wait);
        send();
      }, next.delayMs);
      waits.add(wait);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    answer: (...answers) => {
      queue = answers;
    },
    close: () =>
      new Promise((resolve) => {
        for (const wait of waits) clearTimeout(wait);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
