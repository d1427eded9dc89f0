import { rmSync } from 'node:fs';
import scanCapturedLogs from './logCapture/scanCapturedLogs';
import { PACKAGED_STACK_DIR } from './packagedStack';

/** Jest global teardown of `npm test`: removes the run's packaged stack, then scans the logs. */
export default function globalTeardown(): void {
  const packaged = process.env[PACKAGED_STACK_DIR];
  if (packaged !== undefined) rmSync(packaged, { recursive: true, force: true });
  scanCapturedLogs();
}
