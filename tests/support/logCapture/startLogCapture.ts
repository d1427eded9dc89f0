import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { logCaptureDir } from './logCaptureDir';

/**
 * Jest global setup: each run scans only its own log lines. `name` gives a run its own
 * directory (`test-results/logs-<name>`), so `npm test` and `npm run test:faults` keep theirs.
 */
export default function startLogCapture(name?: string): void {
  if (typeof name === 'string') {
    process.env.LOG_CAPTURE_DIR = join(__dirname, '..', '..', '..', 'test-results', `logs-${name}`);
    process.env.LOG_SCAN_NAME = name;
  }
  rmSync(logCaptureDir(), { recursive: true, force: true });
}
