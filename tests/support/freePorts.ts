import { createServer } from 'node:net';

async function listensOn(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Two consecutive free ports chosen by the system (serverless-offline takes an HTTP port and,
 * next to it, its Lambda port), so parallel runs never collide on fixed ones.
 */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    await new Promise((resolve) => server.close(resolve));
    if (port < 65535 && (await listensOn(port)) && (await listensOn(port + 1))) return port;
  }
  throw new Error('no two consecutive free ports found');
}
