/**
 * A cold start as Lambda makes one: a fresh process loads the bundle and answers one request,
 * then exits. The bench times it from spawn to exit; the process prints how that time split
 * between loading the bundle and the first request. Usage: node coldStart.js <bundle.js> <event JSON>
 */
import { performance } from 'node:perf_hooks';
import { lambdaContext } from '../../tests/support/lambdaContext';
import { INVOCATION_BUDGET_MS } from './messages';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const started = performance.now();
// A plain require, as the Lambda runtime loads a handler: the path is known only at run time.
const { handler } = require(process.argv[2] ?? '') as { handler: Handler };
const loaded = performance.now();
handler(JSON.parse(process.argv[3] ?? '{}'), lambdaContext(INVOCATION_BUDGET_MS, 'bench')).then(
  () => {
    process.stdout.write(JSON.stringify({ loadMs: loaded - started, firstRequestMs: performance.now() - loaded }));
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
