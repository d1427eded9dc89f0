import { fork, type ChildProcess } from 'node:child_process';
import type { ContestantMessage, InvocationResult } from '../child/messages';

/**
 * A contestant's warm execution environment, seen from the bench: a child process with one
 * bundle loaded, which runs the invocations sent to it (several at once when asked).
 *
 * @example
 * const ours = await ContestantProcess.start(script, bundle, env);
 * const { durationMs } = await ours.invoke({ imageKey: 'img_v3_01' });
 */
export class ContestantProcess {
  private nextId = 0;
  private readonly pending = new Map<number, (result: InvocationResult) => void>();
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly loadMs: number,
  ) {
    child.on('message', (message: ContestantMessage) => {
      if (message.type !== 'result') return;
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.once('exit', (code) => {
      for (const [id, settle] of this.pending) {
        settle({
          type: 'result',
          id,
          durationMs: 0,
          cpuMs: 0,
          rssBeforeBytes: 0,
          peakRssBytes: 0,
          error: { name: 'ProcessExited', message: `exit ${code}: ${this.stderr}` },
        });
      }
      this.pending.clear();
    });
  }

  /**
   * Starts the process and waits until the bundle is loaded. Its logs (stdout) are discarded.
   * `execArgv` reaches Node itself, e.g. `--cpu-prof` to see where a contestant spends its time.
   */
  static async start(
    script: string,
    bundle: string,
    env: NodeJS.ProcessEnv,
    execArgv: string[] = [],
  ): Promise<ContestantProcess> {
    const child = fork(script, [bundle], { env, execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const loadMs = await new Promise<number>((resolve, reject) => {
      child.once('message', (message: ContestantMessage) => {
        if (message.type === 'ready') resolve(message.loadMs);
      });
      child.once('exit', (code) => reject(new Error(`${bundle} did not load (exit ${code}): ${stderr.slice(-2000)}`)));
    });
    return new ContestantProcess(child, loadMs);
  }

  /** Runs one invocation (with `budgetMs` of Lambda time); its time and memory are measured inside the process. */
  invoke(event: unknown, options: { watchMemory?: boolean; budgetMs?: number } = {}): Promise<InvocationResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ type: 'invoke', id, event, watchMemory: options.watchMemory, budgetMs: options.budgetMs });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'exit' });
    await exited;
  }
}
