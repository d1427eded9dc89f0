import { createHash } from 'node:crypto';
import type { RunStarter } from '../clients/stepFunctions';
import type { EndpointDescription } from '../endpoints';
import { misconfigured } from '../errors/MirrorError';
import { placeKeys } from '../batch/crawlPlace';
import type { Invocation } from '../mirror/Invocation';
import { logger } from '../runtime/logger';

/** What starting a run answers: the run (started now, or the one already running) and where its summary will be. */
export interface StartedRun {
  kind: string;
  source: Record<string, string>;
  run: string;
  status: 'started' | 'running';
  summary: string;
}

/** A run's name ends with when it started, `-20261207T120000Z`: 17 characters. */
const STARTED_SUFFIX = 17;
/** Step Functions' longest execution name. */
const MAX_NAME = 80;

/**
 * Starts a run of the place's state machine (`STATE_MACHINE_ARN`), named after the place and
 * the second it started (`sp1-20261207T120000Z`), unless one for the same place is running:
 * then that one is answered, so that a schedule and a caller, or two callers, never list and
 * mirror the same place twice at once.
 *
 * @example
 * await startPlaceRun(invocation, { spaceId: 'sp1' }, false, starter);
 * // { run: 'sp1-20261207T120000Z', status: 'started',
 * //   summary: 'results/wiki-space/sp1/sp1-20261207T120000Z/summary.json' }
 */
export async function startPlaceRun(
  invocation: Invocation,
  source: Readonly<Record<string, string>>,
  refresh: boolean,
  starter: RunStarter,
): Promise<StartedRun> {
  const endpoint = invocation.endpoint as EndpointDescription<string>;
  const stateMachineArn = process.env.STATE_MACHINE_ARN;
  if (!stateMachineArn) throw misconfigured(`the setting STATE_MACHINE_ARN of ${endpoint.functionName} is missing`);
  // The stack sets it; a run started elsewhere (npm start, which runs no Step Functions) has none to name.
  if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[\w-]{1,80}$/.test(stateMachineArn)) {
    throw misconfigured(`the setting STATE_MACHINE_ARN of ${endpoint.functionName} is not a state machine's ARN`);
  }
  const place = runPrefixOf(endpoint, source);
  const running = await starter.running(
    stateMachineArn,
    (name) => name.length === place.length + STARTED_SUFFIX && name.startsWith(`${place}-`),
  );
  const answer = (run: string, status: StartedRun['status']): StartedRun => ({
    kind: endpoint.kind,
    source: { ...source },
    run,
    status,
    summary: placeKeys(endpoint, source, run).summary,
  });
  if (running !== undefined) return answer(running, 'running');
  const run = `${place}-${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}`;
  const started = await starter.start(stateMachineArn, run, { ...source, refresh });
  logger.info('place run started', { kind: endpoint.kind, source, run, started, transport: invocation.trigger });
  return answer(run, started ? 'started' : 'running');
}

/** The start of a place's run names: its ids joined by `_`, or their hash when that would make the name too long. */
function runPrefixOf(endpoint: EndpointDescription<string>, source: Readonly<Record<string, string>>): string {
  const ids = [...endpoint.ids, ...(endpoint.placeIds ?? [])].flatMap((id) => (source[id] ? [source[id]] : []));
  const joined = ids.join('_');
  if (joined.length <= MAX_NAME - STARTED_SUFFIX) return joined;
  return `h${createHash('sha256').update(joined).digest('hex').slice(0, 40)}`;
}
