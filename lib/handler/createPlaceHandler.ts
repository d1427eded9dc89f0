import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { httpFailure } from './httpAnswer';
import { openInvocation } from './openInvocation';
import { type CrawlProgress, crawlPlace } from '../batch/crawlPlace';
import { type RunSummary, summarizeRun } from '../batch/summarizeRun';
import type { Clients } from '../clients/Clients';
import { type RunStarter, stepFunctionsStarter } from '../clients/stepFunctions';
import type { EndpointDescription, PlaceKind } from '../endpoints';
import { toMirrorError } from '../errors/errorBody';
import { invalidRequest } from '../errors/MirrorError';
import { TASK_ANSWER_ROOM } from '../mirror/AnswerRoom';
import { logFailure } from '../mirror/mirrorLogged';
import { FunctionMetrics } from '../metrics/FunctionMetrics';
import { MetricTally } from '../metrics/MetricTally';
import { detectEvent } from '../request/detectEvent';
import { readBoolean, readId, refuseUnknown } from '../request/readFields';
import { logger } from '../runtime/logger';
import { type StartedRun, startPlaceRun } from '../triggers/startPlaceRun';

/** What a place's function answers, by what came in. */
export type PlaceResult = CrawlProgress | RunSummary | StartedRun | StartedRun[] | APIGatewayProxyResult;

/** A place function's Lambda handler. */
export type PlaceHandler = (event: unknown, context?: Partial<Context>) => Promise<PlaceResult>;

/** A place's request, read from a payload or an HTTP call. */
interface PlaceInput {
  source: Record<string, string>;
  refresh: boolean;
  /** A step of this run (from its state machine); absent: start a run. */
  run?: string;
  /** The Distributed Map's output, when the step is the summary. */
  summarize?: unknown;
}

/**
 * The edge of a place's function (a wiki space, a Drive folder), around the same settings,
 * rate limits, error table and metrics as every function's:
 * - a payload with `run` is a step of that run, sent by its state machine: list the place
 *   from where the run stands (`{"spaceId", "run"}`, or `{"place": {"spaceId"}, "run"}` as the
 *   state machine sends it), or, with `summarize` (the Distributed Map's output), write its summary;
 * - a payload without `run`, `POST /wiki/spaces/{spaceId}/mirror` (answered 202) and the daily
 *   schedule (every place of its setting) start a run, or answer the one already running.
 * Errors are thrown with their names for Step Functions, or answered with the table's status over HTTP.
 *
 * @example
 * export const handler = createPlaceHandler(wikiSpace);
 */
export function createPlaceHandler(
  endpoint: EndpointDescription<PlaceKind>,
  clients?: Clients,
  starter: RunStarter = stepFunctionsStarter(),
): PlaceHandler {
  const described = endpoint as unknown as EndpointDescription;
  const functionMetrics = new FunctionMetrics(endpoint.functionName);
  return async (event, context) => {
    const started = Date.now();
    const metrics = new MetricTally();
    const detected = detectEvent(event);
    const trigger = detected.kind === 'http' ? detected.transport : detected.kind;
    if (context?.awsRequestId) logger.appendKeys({ requestId: context.awsRequestId });
    try {
      const invocation = openInvocation({
        endpoint: described,
        event,
        detected,
        context,
        clients,
        metrics,
        trigger,
        answerRoom: TASK_ANSWER_ROOM,
      });
      const { settings } = invocation;
      switch (detected.kind) {
        case 'http': {
          const input = readPlaceInput(httpFields(event), endpoint);
          const run = await startPlaceRun(invocation, input.source, input.refresh, starter);
          return { statusCode: 202, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(run) };
        }
        case 'schedule':
          return await Promise.all(
            settings.scheduledIds.map((id) => startPlaceRun(invocation, { [endpoint.ids[0]!]: id }, false, starter)),
          );
        case 'input': {
          const input = readPlaceInput(detected.input, endpoint);
          if (input.run === undefined) return await startPlaceRun(invocation, input.source, input.refresh, starter);
          if (input.summarize !== undefined) {
            return await summarizeRun(invocation, input.source, input.run, input.summarize);
          }
          return await crawlPlace(invocation, { source: input.source, run: input.run, refresh: input.refresh });
        }
        default:
          throw invalidRequest(
            `${endpoint.functionName} takes a payload, an HTTP call or its schedule, not ${trigger}`,
          );
      }
    } catch (thrown) {
      const error = toMirrorError(thrown);
      logFailure({ endpoint: described, trigger, metrics }, error, Date.now() - started);
      if (detected.kind === 'http') return httpFailure(error);
      throw error;
    } finally {
      functionMetrics.publish(metrics, context?.awsRequestId);
    }
  };
}

/** An HTTP call's fields: its path's ids and its query's options. */
function httpFields(event: unknown): Record<string, unknown> {
  const view = event as {
    pathParameters?: Record<string, string | undefined> | null;
    queryStringParameters?: Record<string, string | undefined> | null;
  };
  return { ...view.queryStringParameters, ...view.pathParameters };
}

function readPlaceInput(input: unknown, endpoint: EndpointDescription<PlaceKind>): PlaceInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidRequest(`the payload must be a JSON object naming the ${endpoint.noun}`);
  }
  const given = input as Record<string, unknown>;
  // A step of the state machine is sent the execution's input as `place`.
  const place = given.place;
  const fields =
    typeof place === 'object' && place !== null && !Array.isArray(place)
      ? { ...(place as Record<string, unknown>), run: given.run, summarize: given.summarize }
      : given;
  if (fields.summarize === undefined) delete fields.summarize;
  const placeIds = endpoint.placeIds ?? [];
  refuseUnknown(given, [...endpoint.ids, ...placeIds, 'refresh', 'run', 'summarize', 'place'], 'field');
  refuseUnknown(fields, [...endpoint.ids, ...placeIds, 'refresh', 'run', 'summarize'], 'field');
  const source: Record<string, string> = {};
  for (const id of endpoint.ids) source[id] = readId(id, fields[id]);
  for (const id of placeIds) if (fields[id] !== undefined) source[id] = readId(id, fields[id]);
  return {
    source,
    refresh: fields.refresh === undefined ? false : readBoolean('refresh', fields.refresh),
    ...(fields.run === undefined ? {} : { run: readId('run', fields.run) }),
    ...(fields.summarize === undefined ? {} : { summarize: fields.summarize }),
  };
}
