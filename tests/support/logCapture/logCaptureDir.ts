import { join } from 'node:path';

/**
 * Where every test file of a run tees the functions' log lines (one file per worker process):
 * `LOG_CAPTURE_DIR` when set (a global setup sets it before the workers start), else
 * test-results/logs.
 */
export function logCaptureDir(): string {
  return process.env.LOG_CAPTURE_DIR ?? join(__dirname, '..', '..', '..', 'test-results', 'logs');
}

/** The settings whose values must never reach a log line, checked as each line is written. */
export const SECRET_SETTINGS = ['FEISHU_APP_SECRET', 'FEISHU_HELPDESK_TOKEN', 'LOCAL_API_KEY'] as const;
