import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');

/** The part of a CloudFormation template the tests read. */
export interface Template {
  // biome-ignore lint/suspicious/noExplicitAny: properties are of every shape; each test reads the ones it checks
  Resources: Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string | string[] }>;
  Outputs: Record<string, { Value: unknown; Export?: unknown }>;
  [section: string]: unknown;
}

/** Where the run's one packaging lands, shared by its test files; set by the run's global setup. */
export const PACKAGED_STACK_DIR = 'PACKAGED_STACK_DIR';

/** The most a test waits for the stack to be packaged, by itself or by another test file. */
export const PACKAGING_TIMEOUT_MS = 170_000;

/**
 * The CloudFormation template `serverless package` builds, as .ci/run packages it offline: with
 * the stack's own bucket and every setting at its default, whatever the shell running the
 * tests holds. The stack is packaged once per jest run and shared by every test file that
 * reads it (the first one to ask packages, the others wait for it); outside a run's global
 * setup, each caller packages on its own.
 *
 * @example
 * const template = await packagedTemplate();
 * template.Resources.ImageBucket.Properties.BucketEncryption;
 */
export async function packagedTemplate(): Promise<Template> {
  if (process.env[PACKAGED_STACK_DIR] !== undefined) return readTemplate(await packagedDirectory());
  const directory = mkdtempSync(join(tmpdir(), 'feishu-image-mirror-package-'));
  try {
    await packageInto(directory);
    return readTemplate(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The directory `serverless package` wrote: the template and each function's zip
 * (`{functionName}.zip`), packaged once per jest run as `packagedTemplate` says. Outside a run's
 * global setup it packages into a new temporary directory, which the caller removes.
 *
 * @example
 * const zip = join(await packagedDirectory(), 'imImage.zip');
 */
export async function packagedDirectory(): Promise<string> {
  const shared = process.env[PACKAGED_STACK_DIR];
  if (shared === undefined) {
    const directory = mkdtempSync(join(tmpdir(), 'feishu-image-mirror-package-'));
    await packageInto(directory);
    return directory;
  }
  const outcome = join(shared, 'outcome.json');
  if (claim(join(shared, 'claimed'))) {
    let result: { error?: string };
    try {
      await packageInto(join(shared, 'package'));
      result = {};
    } catch (error) {
      result = { error: String(error) };
    }
    // Written whole, then renamed: a waiting test never reads half an outcome.
    writeFileSync(`${outcome}.tmp`, JSON.stringify(result));
    renameSync(`${outcome}.tmp`, outcome);
  }
  const started = Date.now();
  while (!existsSync(outcome)) {
    if (Date.now() - started > PACKAGING_TIMEOUT_MS) {
      throw new Error(`the stack was not packaged within ${PACKAGING_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const { error } = JSON.parse(readFileSync(outcome, 'utf8')) as { error?: string };
  if (error !== undefined) throw new Error(`serverless package failed: ${error}`);
  return join(shared, 'package');
}

/**
 * The template with what changes at every build made constant, so that two builds of the same
 * stack compare equal:
 * - the artifacts' S3 folder, named after the time of the build
 *   (`serverless/feishu-image-mirror/dev/1796121832980-2026-12-01T10:43:52.980Z/imImage.zip`
 *   becomes `…/dev/{build}/imImage.zip`);
 * - each `AWS::Lambda::Version`'s logical id, which ends in a hash of the bundle and the
 *   function's settings (`ImImageLambdaVersiontTw…` becomes `ImImageLambdaVersion`, in every
 *   reference too), and its `CodeSha256`, the bundle's hash: both change with any edit of the
 *   code, and the function's settings are compared on the function itself;
 * - the API deployment's logical id, which ends in the time of the build
 *   (`ApiGatewayDeployment1796121828736` becomes `ApiGatewayDeployment`).
 * Nothing else is touched.
 *
 * @example
 * normaliseTemplate(await packagedTemplate()).Resources.ImImageLambdaVersion; // { Type: 'AWS::Lambda::Version', … }
 */
export function normaliseTemplate(template: Template): Template {
  const normalise = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value
        .replace(/^(\w+LambdaVersion)[A-Za-z0-9]+$/, '$1')
        .replace(/^ApiGatewayDeployment\d+$/, 'ApiGatewayDeployment')
        .replace(/^(serverless\/[^/]+\/[^/]+\/)\d+-[\dT:.Z-]+\//, '$1{build}/');
    }
    if (Array.isArray(value)) return value.map(normalise);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value).map(([key, inner]) => [
      normalise(key),
      key === 'CodeSha256' ? '{bundle sha256}' : normalise(inner),
    ]);
    return Object.fromEntries(entries);
  };
  return normalise(template) as Template;
}

/** True for the one caller that creates `path`, whichever test process it runs in. */
function claim(path: string): boolean {
  try {
    mkdirSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function packageInto(directory: string): Promise<void> {
  // Only what a process needs to run: every setting serverless.yml passes through is unset.
  const kept = ['PATH', 'HOME', 'TMPDIR'].filter((name) => process.env[name] !== undefined);
  const env = Object.fromEntries(kept.map((name) => [name, process.env[name]]));
  const serverless = join(ROOT, 'node_modules', '.bin', 'serverless');
  const options = { cwd: ROOT, env, timeout: PACKAGING_TIMEOUT_MS };
  await promisify(execFile)(serverless, ['package', '--package', directory], options);
}

function readTemplate(directory: string): Template {
  return JSON.parse(readFileSync(join(directory, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}
