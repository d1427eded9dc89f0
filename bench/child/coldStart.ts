/**
 * A cold start as Lambda makes one: a fresh process loads the bundle and answers one request,
 * then exits. The bench times it from spawn to exit; the process prints how that time split
 * between loading the bundle and the first request. Usage: node coldStart.js <bundle.mjs> <event JSON>
 */
import { performance } from 'node:perf_hooks';
import { lambdaContext } from '../../tests/support/lambdaContext';
import { loadHandler } from './loadHandler';
import { INVOCATION_BUDGET_MS } from './messages';

const started = performance.now();
let loaded = started;
loadHandler(process.argv[2] ?? '')
  .then((handler) => {
    loaded = performance.now();
    return handler(JSON.parse(process.argv[3] ?? '{}'), lambdaContext(INVOCATION_BUDGET_MS, 'bench'));
  })
  .then(
    () => {
      process.stdout.write(JSON.stringify({ loadMs: loaded - started, firstRequestMs: performance.now() - loaded }));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
