/**
 * `npm run fixtures:template`: packages the stack and writes its normalised template over
 * tests/integration/fixtures/packagedTemplate.json, keeping that file's key order so that the
 * diff shows only what changed (tests/integration/fixtures/README.md). Run it only for a change
 * of the stack that is meant, and say so in that README.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseTemplate, packagedTemplate } from './packagedStack';

// Bundled to .build/fixtures/, two folders below the repository, as this file is (packagedStack.ts counts on it).
const FIXTURE = join(__dirname, '..', '..', 'tests', 'integration', 'fixtures', 'packagedTemplate.json');

/** `value` with the keys `like` has first, in its order, then the others, at every depth. */
function orderLike(value: unknown, like: unknown): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => orderLike(item, Array.isArray(like) ? like[index] : undefined));
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const model =
    like !== null && typeof like === 'object' && !Array.isArray(like) ? (like as Record<string, unknown>) : {};
  const keys = [
    ...Object.keys(model).filter((key) => key in source),
    ...Object.keys(source).filter((key) => !(key in model)),
  ];
  return Object.fromEntries(keys.map((key) => [key, orderLike(source[key], model[key])]));
}

async function main(): Promise<void> {
  const previous = JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown;
  const template = normaliseTemplate(await packagedTemplate());
  writeFileSync(FIXTURE, `${JSON.stringify(orderLike(template, previous), null, 2)}\n`);
  process.stdout.write(`${FIXTURE} written from the packaged template\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
