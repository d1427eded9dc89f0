import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAX_LINE_LENGTH = 120;

/**
 * The code git tracks, as Biome checks it: a file that is untracked or ignored (a build, a local result) is not the
 * repository's and does not count.
 */
function trackedCode(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--', '*.ts', '*.js', '*.cjs', '*.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  // A tracked file deleted in the work tree, but not yet in git, is no longer code to check.
  return listed.split('\0').filter((path) => path !== '' && existsSync(join(ROOT, path)));
}

describe('Code style', () => {
  it('keeps every line of code within 120 characters', () => {
    // Prepare
    const files = trackedCode();

    // Act
    const overLong = files.flatMap((path) =>
      readFileSync(join(ROOT, path), 'utf8')
        .split(/\r?\n/)
        // Characters, not UTF-16 units, as an editor's ruler counts them.
        .map((line, index) => ({ at: `${path}:${index + 1}`, length: [...line].length }))
        .filter(({ length }) => length > MAX_LINE_LENGTH)
        .map(({ at, length }) => `${at} has ${length} characters`),
    );

    // Assess
    expect(files.length).toBeGreaterThan(0);
    expect(overLong).toEqual([]);
  });
});
