import { createHash } from 'node:crypto';
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ShapedProxy, type LinkShape } from '../../bench/network/ShapedProxy';

/** Deterministic bytes, so that what crossed the proxy can be compared with what was sent. */
const body = (bytes: number): Buffer => Buffer.from(Array.from({ length: bytes }, (_, i) => (i * 31) % 251));
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** GET `/<bytes>` through `url` on `agent`: the body and the wall time. */
function get(url: string, bytes: number, agent: Agent): Promise<{ ms: number; body: Buffer }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    request(`${url}/${bytes}`, { agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ ms: performance.now() - started, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('ShapedProxy: a latency and bandwidth shaping TCP proxy for the bench', () => {
  let server: Server;
  let direct: string;
  const proxies: ShapedProxy[] = [];
  const through = async (shape: LinkShape): Promise<string> => {
    const proxy = await ShapedProxy.start(direct, shape);
    proxies.push(proxy);
    return proxy.url;
  };

  beforeAll(async () => {
    server = createServer((req, res) => res.end(body(Number(req.url?.slice(1)))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    direct = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await new Promise((resolve) => server.close(resolve));
  });

  it('costs a new connection two round trips (handshake, exchange) and a kept one one', async () => {
    // Arrange
    const url = await through({ rttMs: 100, bitsPerSecond: 0 });
    const agent = new Agent({ keepAlive: true });

    // Act
    const first = await get(url, 10, agent);
    const second = await get(url, 10, agent);
    agent.destroy();

    // Assess: lower bounds from the configured delay only, never an upper one.
    expect(first.ms).toBeGreaterThanOrEqual(195);
    expect(second.ms).toBeGreaterThanOrEqual(98);
    expect(first.ms / second.ms).toBeGreaterThan(1.4);
  });

  it('caps the bandwidth: four times the bytes take about four times as long, every byte intact', async () => {
    // Arrange: 40 Mbit/s, 1 ms round trip, so the transfer is mostly serialisation.
    const url = await through({ rttMs: 1, bitsPerSecond: 40e6 });
    const agent = new Agent({ keepAlive: true });
    await get(url, 10, agent);

    // Act
    const small = await get(url, 512 * 1024, agent);
    const large = await get(url, 2 * 1024 * 1024, agent);
    agent.destroy();

    // Assess: 2 MiB at 40 Mbit/s is 419 ms at least.
    expect(large.ms).toBeGreaterThanOrEqual(0.95 * ((2 * 1024 * 1024 * 8) / 40e6) * 1000);
    expect(large.ms / small.ms).toBeGreaterThan(2.5);
    expect(sha(large.body)).toBe(sha(body(2 * 1024 * 1024)));
  });

  it('delivers what is still on the wire when the server closes the connection after answering', async () => {
    // Arrange: no keep-alive, so the server ends its side right after the body.
    const url = await through({ rttMs: 40, bitsPerSecond: 50e6 });
    const agent = new Agent({ keepAlive: false });

    // Act
    const answer = await get(url, 1_000_000, agent);

    // Assess
    expect(sha(answer.body)).toBe(sha(body(1_000_000)));
  });

  it('passes bytes unchanged, and in order, at 0 ms and no cap', async () => {
    // Arrange
    const url = await through({ rttMs: 0, bitsPerSecond: 0 });
    const agent = new Agent({ keepAlive: true });

    // Act
    const answers = await Promise.all([1, 70_000, 3_000_000].map((bytes) => get(url, bytes, agent)));
    agent.destroy();

    // Assess
    expect(answers.map((answer) => sha(answer.body))).toEqual([1, 70_000, 3_000_000].map((n) => sha(body(n))));
  });
});
