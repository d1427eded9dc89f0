/** One line of the functions' log, as CloudWatch would hold it. */
export type LogLine = Record<string, unknown> & { level: string; message: string };

const SERVICE = '"service":"feishu-image-mirror"';

/**
 * Runs `act` and returns, beside its outcome, the functions' log lines written meanwhile, parsed:
 * what the real Logger printed, after it dropped any key it reserves (so a test sees what an
 * operator would). The lines still reach the run's capture (captureLogs.ts) and its scan.
 *
 * @example
 * const { lines } = await logLinesOf(() => imImage({ imageKey: 'err-234005' }, lambdaContext()).catch(() => 0));
 */
export function logLinesOf<T>(act: () => Promise<T>): Promise<{ outcome: T; lines: LogLine[] }> {
  return linesWrittenBy(act, (line) => line.includes(SERVICE));
}

/**
 * Runs `act` and returns, beside its outcome, the lines of stdout and stderr written meanwhile
 * that `keep` chose, each parsed as JSON; they still reach the streams.
 *
 * @example
 * const { lines } = await linesWrittenBy(act, (line) => line.includes('"_aws":'));
 */
export async function linesWrittenBy<T, L = LogLine>(
  act: () => Promise<T>,
  keep: (line: string) => boolean,
): Promise<{ outcome: T; lines: L[] }> {
  const lines: L[] = [];
  const restores = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      for (const line of text.split('\n')) if (keep(line)) lines.push(JSON.parse(line) as L);
      return (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
    return () => {
      stream.write = write;
    };
  });
  try {
    return { outcome: await act(), lines };
  } finally {
    for (const restore of restores) restore();
  }
}
