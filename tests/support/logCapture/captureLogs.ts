import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isEmfLine } from '../emf/readEmf';
import { logCaptureDir, SECRET_SETTINGS } from './logCaptureDir';

// A jest setup file (before jestSetup.ts): the functions log at DEBUG in every test file, and
// their lines, recognised by the service name, and their metrics (EMF lines) go to a file of
// this run instead of the terminal. scanCapturedLogs.ts (global teardown) then scans the whole suite's lines.
process.env.POWERTOOLS_LOG_LEVEL ??= 'DEBUG';
mkdirSync(logCaptureDir(), { recursive: true });
const file = join(logCaptureDir(), `${process.pid}.jsonl`);
const SERVICE = '"service":"feishu-image-mirror"';

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    if (!text.includes(SERVICE) && !isEmfLine(text)) return write(chunk, ...rest);
    // The secrets of this moment: tests change them (rotated secrets, wrong credentials).
    const leaked = SECRET_SETTINGS.filter((name) => {
      const value = process.env[name];
      return value !== undefined && value.length >= 4 && text.includes(value);
    });
    appendFileSync(
      file,
      leaked.length
        ? `${JSON.stringify({ leakedSettings: leaked, line: text.trim() })}\n`
        : text.endsWith('\n')
          ? text
          : `${text}\n`,
    );
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return true;
  }) as typeof stream.write;
}
