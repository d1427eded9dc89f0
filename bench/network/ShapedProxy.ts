import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A link's shape: the round-trip time and the bandwidth of each direction (0: unlimited). */
export interface LinkShape {
  rttMs: number;
  /** Bits per second each way, shared by every connection through the proxy; 0 for no cap. */
  bitsPerSecond: number;
}

/** Bytes a direction may hold before it stops reading its source, so that a slow link never buffers a whole image. */
const QUEUED_HIGH_WATER = 4 * 1024 * 1024;

/** One direction of the link (client → server or back): when it is next free to send, shared by its connections. */
interface Wire {
  freeAt: number;
}

/**
 * One direction of one connection: chunks leave `from`, wait their serialisation on the shared
 * wire and half the round trip, and reach `to` in order. The source is paused while too much
 * waits, and while the destination is full.
 */
class DelayedDirection {
  private readonly queue: { chunk: Buffer; at: number }[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private waitingForDrain = false;
  private sourceEnded = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly shape: LinkShape,
    private readonly wire: Wire,
    /** No byte leaves before this moment: the connection's handshake. */
    private readonly openAt: number,
  ) {
    from.on('data', (chunk: Buffer) => this.accept(chunk));
    from.on('end', () => {
      this.sourceEnded = true;
      this.release();
    });
    to.on('drain', () => {
      this.waitingForDrain = false;
      this.release();
    });
  }

  private accept(chunk: Buffer): void {
    const now = performance.now();
    const start = Math.max(now, this.openAt, this.wire.freeAt);
    const sending = this.shape.bitsPerSecond > 0 ? (chunk.length * 8 * 1000) / this.shape.bitsPerSecond : 0;
    this.wire.freeAt = start + sending;
    this.queue.push({ chunk, at: start + sending + this.shape.rttMs / 2 });
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > QUEUED_HIGH_WATER) this.from.pause();
    this.release();
  }

  /** Writes every chunk whose time has come; then waits for the next one, or for the destination to drain. */
  private release(): void {
    if (this.timer || this.waitingForDrain) return;
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now) {
      const { chunk } = this.queue.shift()!;
      this.queuedBytes -= chunk.length;
      if (!this.to.write(chunk)) {
        this.waitingForDrain = true;
        break;
      }
    }
    if (this.queuedBytes <= QUEUED_HIGH_WATER / 2 && this.from.isPaused()) this.from.resume();
    if (this.waitingForDrain) return;
    const next = this.queue[0];
    if (next) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.release();
        },
        Math.max(0, next.at - now),
      );
    } else if (this.sourceEnded) {
      this.to.end();
    }
  }

  close(): void {
    clearTimeout(this.timer);
  }
}

/**
 * A TCP proxy in the bench's process that gives loopback the shape of a real network: every
 * byte takes half the round trip each way, each direction is capped at a bandwidth shared by
 * all connections (a serialisation delay per chunk), and a new connection waits one round trip
 * before its first byte leaves (its TCP handshake). No root and no `tc`: a contestant is simply
 * pointed at the proxy's address instead of the server's.
 *
 * @example
 * const proxy = await ShapedProxy.start('http://127.0.0.1:9000', { rttMs: 60, bitsPerSecond: 100e6 });
 * env.FEISHU_BASE_URL = proxy.url;
 */
export class ShapedProxy {
  private readonly sockets = new Set<Socket>();
  private readonly directions = new Set<DelayedDirection>();
  /** Connections accepted so far: each paid a handshake. */
  connections = 0;

  private constructor(
    private readonly server: Server,
    /** The upstream URL with its host and port replaced by the proxy's. */
    readonly url: string,
  ) {}

  /** Listens on a free loopback port and forwards every connection to `upstream` (an http URL), shaped. */
  static async start(upstream: string, shape: LinkShape): Promise<ShapedProxy> {
    const target = new URL(upstream);
    const up: Wire = { freeAt: 0 };
    const down: Wire = { freeAt: 0 };
    let proxy: ShapedProxy | undefined;
    // Half-open sockets: a side that ends must not end the other before what is still on the wire reached it.
    const server = createServer({ allowHalfOpen: true }, (client) => {
      if (!proxy) return client.destroy();
      proxy.connections += 1;
      const openAt = performance.now() + shape.rttMs;
      const upstreamSocket = connect({ port: Number(target.port), host: target.hostname, allowHalfOpen: true });
      for (const socket of [client, upstreamSocket]) {
        socket.setNoDelay(true);
        proxy.sockets.add(socket);
        socket.on('error', () => {
          client.destroy();
          upstreamSocket.destroy();
        });
        socket.on('close', () => proxy?.sockets.delete(socket));
      }
      const directions = [
        new DelayedDirection(client, upstreamSocket, shape, up, openAt),
        new DelayedDirection(upstreamSocket, client, shape, down, openAt),
      ];
      for (const direction of directions) proxy.directions.add(direction);
      client.on('close', () => {
        for (const direction of directions) {
          direction.close();
          proxy?.directions.delete(direction);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = new URL(upstream);
    url.hostname = '127.0.0.1';
    url.port = String((server.address() as AddressInfo).port);
    proxy = new ShapedProxy(server, url.toString().replace(/\/$/, upstream.endsWith('/') ? '/' : ''));
    return proxy;
  }

  async close(): Promise<void> {
    for (const direction of this.directions) direction.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
