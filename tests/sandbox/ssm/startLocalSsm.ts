import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SignatureV4 } from '@smithy/signature-v4';
import { smithySigner } from '../../support/smithySigner';

/** A GetParameter call as the server received it. */
export interface SsmCall {
  name: string;
  withDecryption: boolean;
  /** Whether its SigV4 signature verified against the server's credentials. */
  signatureValid: boolean;
}

/** A running SSM stand-in. */
export interface LocalSsm {
  endpoint: string;
  calls: SsmCall[];
  /** Sets a SecureString parameter's value. */
  put(name: string, value: string): void;
  /** The next `times` calls answer this SSM error type with this status. */
  failNext(type: string, status: number, times?: number): void;
  close(): Promise<void>;
}

/** The credentials the stand-in verifies signatures with. */
export const LOCAL_SSM_CREDENTIALS = {
  accessKeyId: 'AKIDLOCALSSM000000001',
  secretAccessKey: 'local/ssm/secret/key/0123456789abcdefghij',
} as const;

/**
 * Starts a local server that speaks SSM's `GetParameter` as AWS does (JSON 1.1 protocol,
 * `X-Amz-Target`, `__type` errors) and checks each request's SigV4 signature with the AWS
 * SDK's own signer, so the product's hand-written signing is proven against an independent one.
 *
 * @example
 * const ssm = await startLocalSsm(); ssm.put('/feishu/app-secret', 's3cr3t');
 */
export async function startLocalSsm(): Promise<LocalSsm> {
  const parameters = new Map<string, string>();
  const calls: SsmCall[] = [];
  let failure: { type: string; status: number; times: number } | undefined;
  const signer = smithySigner('ssm', 'us-east-1', LOCAL_SSM_CREDENTIALS);

  const server = createServer((request, response) => {
    void readBody(request).then(async (body) => {
      const signatureValid = await verify(signer, request, body);
      const input = JSON.parse(body) as { Name: string; WithDecryption?: boolean };
      calls.push({ name: input.Name, withDecryption: input.WithDecryption === true, signatureValid });
      const answer = (status: number, value: unknown) => {
        response.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': `req-${calls.length}`,
        });
        response.end(JSON.stringify(value));
      };
      if (request.headers['x-amz-target'] !== 'AmazonSSM.GetParameter')
        return answer(400, { __type: 'com.amazonaws.ssm#UnknownOperationException' });
      if (!signatureValid)
        return answer(400, {
          __type: 'InvalidSignatureException',
          message: 'The request signature we calculated does not match the signature you provided.',
        });
      if (failure && failure.times > 0) {
        failure.times -= 1;
        return answer(failure.status, {
          __type: `com.amazonaws.ssm#${failure.type}`,
          message: `${failure.type}: injected`,
        });
      }
      const value = parameters.get(input.Name);
      if (value === undefined) return answer(400, { __type: 'com.amazonaws.ssm#ParameterNotFound' });
      return answer(200, {
        Parameter: {
          Name: input.Name,
          Type: 'SecureString',
          Value: value,
          Version: 1,
          ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${input.Name}`,
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    put: (name, value) => void parameters.set(name, value),
    failNext: (type, status, times = 1) => {
      failure = { type, status, times };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

async function verify(signer: SignatureV4, request: IncomingMessage, body: string): Promise<boolean> {
  const authorization = request.headers.authorization ?? '';
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const amzDate = request.headers['x-amz-date'];
  if (typeof amzDate !== 'string' || signedHeaders.length === 0) return false;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(request.headers[name] ?? '');
  const day = `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}`;
  const time = `${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}`;
  const date = new Date(`${day}T${time}Z`);
  const [hostname, port] = (headers.host ?? '').split(':');
  const signed = await signer.sign(
    {
      method: request.method ?? 'POST',
      protocol: 'http:',
      hostname: hostname ?? '',
      port: port ? Number(port) : undefined,
      path: request.url ?? '/',
      headers,
      body,
      query: {},
    },
    { signingDate: date, unsignableHeaders: new Set(), signableHeaders: new Set(signedHeaders) },
  );
  return signed.headers.authorization === authorization;
}
