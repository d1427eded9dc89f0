import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { lambdaContext } from './lambdaContext';
import { listenOnLoopback } from './listenOnLoopback';

type HttpHandler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyResult>;

/**
 * Serves a function on a loopback port as its Function URL does: each request becomes a payload
 * 2.0 event (headers lower-cased, the body as text, or base64 when `base64Bodies`), and the
 * function's answer the response. For the senders that need a URL, such as the Feishu sandbox.
 *
 * @example
 * const served = await serveAsFunctionUrl(feishuEventsHandler);
 * feishu.setEventUrl(served.url);
 */
export async function serveAsFunctionUrl(
  handler: HttpHandler,
  options: { base64Bodies?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    const body = await readAll(request);
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
    );
    const path = request.url ?? '/';
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: path.split('?')[0],
      rawQueryString: path.split('?')[1] ?? '',
      headers,
      requestContext: {
        accountId: 'anonymous',
        apiId: 'localfunctionurl',
        domainName: 'localfunctionurl.lambda-url.us-east-1.on.aws',
        http: {
          method: request.method ?? 'GET',
          path,
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: '$default',
        stage: '$default',
        timeEpoch: Date.now(),
      },
      body: options.base64Bodies ? body.toString('base64') : body.toString('utf8'),
      isBase64Encoded: options.base64Bodies === true,
    };
    const answer = await handler(event, lambdaContext(6000));
    response.writeHead(answer.statusCode, answer.headers as Record<string, string>);
    response.end(answer.body);
  });
  return listenOnLoopback(server);
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
