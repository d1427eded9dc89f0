/**
 * One contestant's execution environment: a Node process that loads one bundle, as Lambda
 * does, then runs the invocations the bench sends over IPC. Each is timed and its memory
 * watched here, inside the process that runs the handler, so the bench's own work (the Feishu
 * sandbox, the messages) never counts. Usage: node contestantProcess.js <bundle.mjs>
 */
import { performance } from 'node:perf_hooks';
import { lambdaContext } from '../../tests/support/lambdaContext';
import { loadHandler } from './loadHandler';
import {
  INVOCATION_BUDGET_MS,
  type ContestantCommand,
  type ContestantMessage,
  type InvocationResult,
} from './messages';

const send = (message: ContestantMessage): void => {
  process.send?.(message);
};

const loadStarted = performance.now();
const loading = loadHandler(process.argv[2] ?? '').then((handler) => {
  send({ type: 'ready', loadMs: performance.now() - loadStarted, rssBytes: process.memoryUsage.rss() });
  return handler;
});

/** maxRSS is in KiB: the process's high-water mark, which no sampling can miss. */
const highWaterMark = (): number => process.resourceUsage().maxRSS * 1024;

async function invoke(command: Extract<ContestantCommand, { type: 'invoke' }>): Promise<InvocationResult> {
  const handler = await loading;
  const rssBeforeBytes = process.memoryUsage.rss();
  const markBefore = highWaterMark();
  let peakRssBytes = rssBeforeBytes;
  let peakHeapUsedBytes = 0;
  let peakArrayBuffersBytes = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peakRssBytes = Math.max(peakRssBytes, usage.rss);
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, usage.heapUsed);
    peakArrayBuffersBytes = Math.max(peakArrayBuffersBytes, usage.arrayBuffers);
  };
  const sampler = command.watchMemory ? setInterval(sample, 2) : undefined;
  const result: InvocationResult = {
    type: 'result',
    id: command.id,
    durationMs: 0,
    cpuMs: 0,
    rssBeforeBytes,
    peakRssBytes,
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    result.answer = await handler(command.event, lambdaContext(command.budgetMs ?? INVOCATION_BUDGET_MS, 'bench'));
  } catch (error) {
    result.error = {
      name: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  result.durationMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  result.cpuMs = (cpu.user + cpu.system) / 1000;
  if (sampler) {
    clearInterval(sampler);
    Object.assign(result, { peakHeapUsedBytes, peakArrayBuffersBytes });
  }
  const markAfter = highWaterMark();
  result.peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss(), markAfter > markBefore ? markAfter : 0);
  return result;
}

process.on('message', (command: ContestantCommand) => {
  if (command.type === 'exit') process.exit(0);
  else void invoke(command).then(send);
});
// A bench that stopped (crashed, interrupted) leaves no contestant behind.
process.on('disconnect', () => process.exit(0));
