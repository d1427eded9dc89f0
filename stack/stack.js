/**
 * The per-endpoint parts of serverless.yml, which osls resolves from this file:
 * `functions: ${file(./stack/stack.js):functions}`, among the `resources`
 * `${file(./stack/stack.js):resources}`, and serverless-step-functions' state machines,
 * `stepFunctions.stateMachines: ${file(./stack/stack.js):stateMachines}`. osls calls each export with
 * `{ options, resolveConfigurationProperty, resolveVariable }` and uses what it returns.
 *
 * The parts come from the TypeScript endpoint descriptions themselves (lib/endpoints/) through
 * stack/generateStack.ts, which holds the rules and their reasons: esbuild bundles that file
 * with the descriptions in memory (under 0.1 s, once per serverless run) and the bundle is run
 * here, so there is no second copy of the facts and nothing written to disk.
 *
 * @example
 * // What osls does for `${file(./stack/stack.js):functions}`:
 * await require('./stack/stack.js').functions({ resolveConfigurationProperty: async () => 60 });
 */
const { buildSync } = require('esbuild');
const { join } = require('node:path');
const { runInThisContext } = require('node:vm');

const GENERATOR = join(__dirname, 'generateStack.ts');

/** @type {import('./generateStack') | undefined} */
let generator;

/** The generator, bundled and loaded at its first use. */
function loadGenerator() {
  if (generator === undefined) {
    const [bundle] = buildSync({
      entryPoints: [GENERATOR],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node24',
      logLevel: 'silent',
    }).outputFiles;
    const module = { exports: {} };
    // Named after its source, so that an error in the generator points at it.
    const run = runInThisContext(`(function (exports, require, module) {${bundle.text}\n})`, { filename: GENERATOR });
    run(module.exports, require, module);
    generator = module.exports;
  }
  return generator;
}

/** The parts for the stack's own endpoints, with the settings serverless.yml holds for them. */
async function parts({ resolveConfigurationProperty }) {
  const [timeout, logRetentionInDays, sqsMaxConcurrency, alarms] = await Promise.all([
    resolveConfigurationProperty(['provider', 'timeout']),
    resolveConfigurationProperty(['provider', 'logRetentionInDays']),
    resolveConfigurationProperty(['custom', 'sqsMaxConcurrency']),
    resolveConfigurationProperty(['custom', 'alarms']),
  ]);
  const stack = loadGenerator();
  return stack.stackParts(stack.readStackSettings({ timeout, logRetentionInDays, sqsMaxConcurrency, alarms }));
}

module.exports = {
  functions: async (context) => (await parts(context)).functions,
  resources: async (context) => (await parts(context)).resources,
  stateMachines: async (context) => (await parts(context)).stateMachines,
  queueUrls: async (context) => (await parts(context)).queueUrls,
};
