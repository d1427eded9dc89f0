// Loads one function from its unpacked zip and invokes it once, as Lambda's Node.js runtime
// does: the handler setting `functions/imImage.handler` names a file under the task root (with
// `.js`, `.mjs` or `.cjs`: `.mjs` and `type: module` are imported, the rest required) and its
// export; a callback-style handler (three parameters) is refused, as nodejs24.x refuses it.
//
//   node invokeLikeLambda.mjs <task root> <handler setting> <event file> <outcome file>
//
// The outcome file receives `{ "node": "24.x.y", "firstAnswerMs", "result": … }` or
// `{ "node", "firstAnswerMs", "error": { name, message } }` (firstAnswerMs counts from the process's start);
// stdout and stderr stay the function's log, as in Lambda.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [taskRoot, handlerSetting, eventFile, outcomeFile] = process.argv.slice(2);

/** The nearest package.json's `type`, as Node decides how to load a `.js` file. */
function packageType(file) {
  for (let directory = dirname(file); directory.startsWith(taskRoot); directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type ?? 'commonjs';
    if (directory === dirname(directory)) break;
  }
  return 'commonjs';
}

async function loadHandler() {
  const slash = handlerSetting.lastIndexOf('/');
  const moduleAndExport = handlerSetting.slice(slash + 1);
  const [moduleName, ...exportPath] = moduleAndExport.split('.');
  const base = resolve(taskRoot, handlerSetting.slice(0, slash + 1), moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((extension) => base + extension).find((path) => existsSync(path));
  if (file === undefined)
    throw Object.assign(new Error(`no module ${base}(.js|.mjs|.cjs)`), { name: 'Runtime.ImportModuleError' });
  const imported =
    file.endsWith('.mjs') || (file.endsWith('.js') && packageType(file) === 'module')
      ? await import(pathToFileURL(file).href)
      : createRequire(file)(file);
  const handler = exportPath.reduce((value, name) => value?.[name], imported);
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${handlerSetting} is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  if (handler.length >= 3) {
    throw Object.assign(new Error('callback-based function handlers are not supported'), {
      name: 'CallbackStyleHandler',
    });
  }
  return handler;
}

const started = Date.now();
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'feishu-image-mirror-dev-zip',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:feishu-image-mirror-dev-zip',
  memoryLimitInMB: '512',
  awsRequestId: '5f1b0c2e-7d3a-4b8e-9c6f-2a1d4e8b7c90',
  logGroupName: '/aws/lambda/feishu-image-mirror-dev-zip',
  logStreamName: '2026/12/07/[$LATEST]0123456789abcdef0123456789abcdef',
  getRemainingTimeInMillis: () => Math.max(0, 60_000 - (Date.now() - started)),
};

let outcome;
try {
  const handler = await loadHandler();
  const event = JSON.parse(readFileSync(eventFile, 'utf8'));
  outcome = { result: await handler(event, context) };
} catch (error) {
  outcome = { error: { name: error?.name ?? 'Error', message: String(error?.message ?? error) } };
}
// From the process's start, Node's own boot included, as a cold start's first answer is timed.
const firstAnswerMs = Math.round(process.uptime() * 1000);
writeFileSync(outcomeFile, JSON.stringify({ node: process.versions.node, firstAnswerMs, ...outcome }));
