import { fork, type ChildProcess } from 'node:child_process';
import type { S3Activity, S3RequestCounts, S3ServerMessage } from '../child/messages';

/**
 * The S3-compatible server (s3rver) in its own process, so that its CPU and memory never count
 * in a contestant's figures.
 *
 * @example
 * const s3 = await S3ServerProcess.start(script, directory, 'bench-images');
 * const before = await s3.activity();
 */
export class S3ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  static async start(script: string, directory: string, bucket: string): Promise<S3ServerProcess> {
    const child = fork(script, [directory, bucket], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.once('message', (message: S3ServerMessage) => {
        if (message.type === 'ready') resolve(message.endpoint);
      });
      child.once('exit', (code) =>
        reject(new Error(`the S3 server did not start (exit ${code}): ${stderr.slice(-2000)}`)),
      );
    });
    return new S3ServerProcess(child, endpoint);
  }

  /** The requests answered so far, and the time taken over them, by S3 operation. */
  activity(): Promise<S3Activity> {
    return new Promise((resolve) => {
      const listen = (message: S3ServerMessage): void => {
        if (message.type !== 'activity') return;
        this.child.off('message', listen);
        resolve(message.activity);
      };
      this.child.on('message', listen);
      this.child.send({ type: 'activity' });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'exit' });
    await exited;
  }
}

function difference(before: S3RequestCounts, after: S3RequestCounts, digits: number): S3RequestCounts {
  const grown: S3RequestCounts = {};
  for (const [operation, value] of Object.entries(after)) {
    const made = value - (before[operation] ?? 0);
    if (made > 0) grown[operation] = Math.round(made * 10 ** digits) / 10 ** digits;
  }
  return grown;
}

/** What the S3 server did between two snapshots, without the operations that stayed at zero. */
export function activityBetween(before: S3Activity, after: S3Activity): S3Activity {
  return {
    requests: difference(before.requests, after.requests, 0),
    serverMs: difference(before.serverMs, after.serverMs, 2),
  };
}
