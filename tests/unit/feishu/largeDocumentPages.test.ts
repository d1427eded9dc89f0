import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildHelperProcess } from '../../../bench/harness/buildBundles';

const ROOT = join(__dirname, '..', '..', '..');
/** Inside the repository: the child resolves its packages from node_modules. */
const OUT_DIR = join(ROOT, '.build', `large-pages-${process.pid}`);
const MIB = 1024 * 1024;

/** The memory of the functions (serverless.yml, `memorySize`). */
const FUNCTION_MEMORY_BYTES = 512 * MIB;

/** What a listing may hold live between two pages: far less than one page's text for each page read. */
const LIVE_HEAP_MAX_BYTES = 64 * MIB;

describe('Listing the blocks of a document with large pages', () => {
  let child: string;

  beforeAll(async () => {
    child = await buildHelperProcess(
      join(__dirname, 'children', 'listLargeDocument.ts'),
      join(OUT_DIR, 'listLargeDocument.js'),
    );
  });

  afterAll(() => {
    rmSync(OUT_DIR, { recursive: true, force: true });
  });

  it('reads 64 pages of 8 MB of text in a heap of 512 MB, holding only the image blocks between pages', async () => {
    // Prepare
    const pages = 64;
    const pageBytes = 8_000_000;

    // Act
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [`--max-old-space-size=${FUNCTION_MEMORY_BYTES / MIB}`, '--expose-gc', child, String(pages), String(pageBytes)],
      // Its stdout is its outcome alone: no log line, no metrics.
      {
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
        maxBuffer: 1024 * 1024,
      },
    );

    // Assess
    const outcome = JSON.parse(stdout) as { images: number; succeeded: number; failed: number; liveHeapBytes: number };
    expect(outcome).toMatchObject({ images: pages, succeeded: pages, failed: 0 });
    expect(outcome.liveHeapBytes).toBeLessThan(LIVE_HEAP_MAX_BYTES);
  }, 120_000);
});
