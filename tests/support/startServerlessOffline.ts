import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** serverless-offline serving the stack, with everything it printed. */
export interface ServerlessOffline {
  url: string;
  /** The serverless-offline process, whose worker threads run the functions (for memory and handle counts). */
  pid: number | undefined;
  /** stdout and stderr so far: the functions' log lines among them. */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/**
 * Runs `serverless offline start` on serverless.yml as a user would: esbuild bundles each
 * function and serverless-offline serves the REST routes behind the API key. `options` are
 * serverless-offline's own (`--useInProcess`).
 */
export async function startServerlessOffline(
  env: Record<string, string | undefined>,
  httpPort: number,
  options: string[] = [],
): Promise<ServerlessOffline> {
  let output = '';
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'serverless'), ['offline', 'start', ...options], {
    cwd: ROOT,
    env: { ...process.env, ...env, OFFLINE_HTTP_PORT: String(httpPort), OFFLINE_LAMBDA_PORT: String(httpPort + 1) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const started = Date.now();
  while (!output.includes('Server ready')) {
    if (child.exitCode !== null || Date.now() - started > 90_000) {
      child.kill('SIGKILL');
      throw new Error(`serverless offline did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://127.0.0.1:${httpPort}`,
    pid: child.pid,
    output: () => output,
    async stop() {
      // The whole process group: serverless-offline runs the functions in worker processes.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await exited;
    },
  };
}
