import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { recordFigures } from '../figures';
import { logCaptureDir } from './logCaptureDir';

/** What must never appear in a log line, whatever its value in a given test. */
export const SECRET_PATTERNS: readonly { what: string; pattern: RegExp }[] = [
  { what: 'a setting holding a secret', pattern: /"leakedSettings":/ },
  { what: "the Feishu sandbox's app secret", pattern: /sandbox-app-secret/ },
  { what: "the Feishu sandbox's helpdesk token", pattern: /sandbox-helpdesk-token/ },
  {
    what: "the Feishu sandbox's helpdesk authorization header",
    pattern: new RegExp(Buffer.from('7000000000000000001:sandbox-helpdesk-token-0000').toString('base64')),
  },
  // At a word's start, or after a percent-encoded byte (`Bearer%20t-…`).
  { what: 'a tenant access token', pattern: /(?<=^|[^A-Za-z0-9]|%(?:25)*[0-9A-Fa-f]{2})t-[0-9A-Za-z]{20,}/ },
  { what: 'a user access token', pattern: /(?<=^|[^A-Za-z0-9]|%(?:25)*[0-9A-Fa-f]{2})u-[0-9A-Za-z]{12,}/ },
  { what: "a presigned URL's signature", pattern: /X-Amz-Signature|X-Amz-Credential|Signature=[0-9a-f]/i },
];

/**
 * The line the real Logger writes when a call passes a key it keeps for itself (`message`,
 * `level`, …): it drops that key and its value, so the line it was meant for says less than
 * its author thought.
 */
const DROPPED_KEY = /is a reserved key and will be dropped/;

/** The outcome of a scan: how much was read, each line that holds a secret, and each key the logger dropped. */
export interface LogScan {
  files: number;
  lines: number;
  leaks: { what: string; file: string; line: string }[];
  droppedKeys: { file: string; line: string }[];
}

/** What each line of `text` holds of the secrets above (serverless-offline's output, say). */
export function findSecrets(text: string): { what: string; line: string }[] {
  return text.split('\n').flatMap((line) =>
    SECRET_PATTERNS.filter(({ pattern }) => pattern.test(line)).map(({ what }) => ({
      what,
      line: line.slice(0, 300),
    })),
  );
}

/** Scans every captured log line for the secrets above. */
export function scanLogs(directory: string): LogScan {
  const scan: LogScan = { files: 0, lines: 0, leaks: [], droppedKeys: [] };
  if (!existsSync(directory)) return scan;
  for (const name of readdirSync(directory).filter((file) => file.endsWith('.jsonl'))) {
    scan.files += 1;
    for (const line of readFileSync(join(directory, name), 'utf8').split('\n')) {
      if (line === '') continue;
      scan.lines += 1;
      scan.leaks.push(...findSecrets(line).map((leak) => ({ ...leak, file: name })));
      if (DROPPED_KEY.test(line)) scan.droppedKeys.push({ file: name, line: line.slice(0, 300) });
    }
  }
  return scan;
}

/**
 * Jest global teardown: fails the run when any log line written during the whole suite holds
 * a secret or says the logger dropped a key it reserves, and reports how many lines were scanned.
 */
export default function scanCapturedLogs(): void {
  const scan = scanLogs(logCaptureDir());
  recordFigures(`log-scan-${process.env.LOG_SCAN_NAME ?? 'test'}`, {
    files: scan.files,
    lines: scan.lines,
    leaks: scan.leaks.length,
    droppedKeys: scan.droppedKeys.length,
  });
  if (scan.leaks.length > 0) {
    throw new Error(
      `Secrets in the logs:\n${scan.leaks
        .slice(0, 20)
        .map((leak) => `- ${leak.what} (${leak.file}): ${leak.line}`)
        .join('\n')}`,
    );
  }
  if (scan.droppedKeys.length > 0) {
    throw new Error(
      `The logger dropped keys it reserves (pass the value under another name):\n${scan.droppedKeys
        .slice(0, 20)
        .map((dropped) => `- (${dropped.file}): ${dropped.line}`)
        .join('\n')}`,
    );
  }
  // A focused run of tests that log nothing has nothing to scan; say so rather than claim a pass.
  process.stdout.write(
    scan.lines === 0
      ? '\nLogs scanned: none were written.\n'
      : `\nLogs scanned: ${scan.lines} lines from ${scan.files} test processes, no secret found, no key dropped.\n`,
  );
}
