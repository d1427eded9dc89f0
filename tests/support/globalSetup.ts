import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import startLogCapture from './logCapture/startLogCapture';
import { PACKAGED_STACK_DIR } from './packagedStack';

/**
 * Jest global setup of `npm test`: starts the run's log capture, and gives the run one
 * directory where the stack is packaged once for every test file that reads the template.
 */
export default function globalSetup(): void {
  startLogCapture();
  // Set before the workers start, so that each of them inherits it.
  process.env[PACKAGED_STACK_DIR] = mkdtempSync(join(tmpdir(), 'feishu-image-mirror-stack-'));
}
