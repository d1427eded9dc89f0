import type { APIGatewayProxyResult, Context, SQSBatchResponse } from 'aws-lambda';
import { httpFailure, httpSuccess } from './httpAnswer';
import type { BatchAnswer } from '../batch/BatchAnswer';
import { mirrorRequest, runBatch } from '../batch/runBatch';
import type { EndpointDescription } from '../endpoints';
import type { Clients } from '../clients/Clients';
import { containerClients } from '../clients/containerClients';
import { toMirrorError } from '../errors/errorBody';
import { invocationRateLimiters } from '../feishu/RateLimiters';
import type { DocumentAnswer } from '../mirror/DocumentAnswer';
import { SharedRateBudget } from '../feishu/SharedRateBudget';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { callerWaitsMs } from '../request/detectTransport';
import { detectEvent, type DetectedEvent } from '../request/detectEvent';
import { parseHttpEvent } from '../request/parseHttpEvent';
import { Deadline } from '../runtime/Deadline';
import { logger } from '../runtime/logger';
import { loadSettings } from '../settings/loadSettings';
import { handleS3Manifests, type ManifestsAnswer } from '../triggers/handleS3Manifests';
import { handleSqsEvent } from '../triggers/handleSqsEvent';
import { runInput } from '../triggers/runInput';
import { scheduledBatch } from '../triggers/scheduledBatch';
import type { Invocation } from '../mirror/Invocation';
import { logFailure } from '../mirror/mirrorLogged';

/** What a function answers, by what came in. */
export type MirrorResult =
  | MirrorAnswer
  | DocumentAnswer
  | APIGatewayProxyResult
  | BatchAnswer
  | SQSBatchResponse
  | ManifestsAnswer;

/** A function's Lambda handler: HTTP events get HTTP answers, payloads the answer object, batches a batch answer. */
export type MirrorHandler = (event: unknown, context?: Partial<Context>) => Promise<MirrorResult>;

/**
 * The edge around the data path, the same for every function: tells the event apart (HTTP,
 * payload, batch, SQS, S3 manifest, EventBridge rule or schedule), reads the settings, runs
 * the work within the invocation's time and Feishu's rate limit, and translates the outcome
 * once: an HTTP answer, the answer object, a batch answer, SQS's failed messages, or a thrown
 * error whose `name` (`NotFoundError`, …) Step Functions can match. `clients` reach S3, SSM and
 * Feishu: the container's own, built at first use, unless a caller (a test) hands in others.
 *
 * @example
 * export const handler = createHandler(whiteboard);
 */
export function createHandler(endpoint: EndpointDescription, clients?: Clients): MirrorHandler {
  return async (event, context) => {
    const started = Date.now();
    const detected = detectEvent(event);
    const trigger = triggerOf(detected);
    if (context?.awsRequestId) logger.appendKeys({ requestId: context.awsRequestId });
    try {
      const settings = loadSettings(process.env, endpoint);
      const cap = detected.kind === 'http' ? callerWaitsMs(event, detected.transport) : Infinity;
      const reach = clients ?? containerClients();
      const app = `${settings.feishuBaseUrl}|${settings.appId}`;
      const budget =
        settings.rateLimitTable === undefined
          ? undefined
          : new SharedRateBudget(reach.counters(settings.rateLimitTable), app);
      const invocation: Invocation = {
        endpoint,
        settings,
        trigger,
        deadline: Deadline.fromContext(context, cap),
        clients: reach,
        limiters: invocationRateLimiters(settings.rateLimits, app, budget),
      };
      switch (detected.kind) {
        case 'http': {
          const request = parseHttpEvent(event, detected.transport, endpoint, settings);
          return httpSuccess(await mirrorRequest(invocation, request), request.redirect);
        }
        case 'sqs':
          return await handleSqsEvent(detected.event, invocation);
        case 's3':
          return await handleS3Manifests(detected.notices, invocation);
        case 'schedule':
          return await runBatch(scheduledBatch(invocation), invocation);
        case 'input':
          return await runInput(detected.input, invocation);
      }
    } catch (thrown) {
      const error = toMirrorError(thrown);
      logFailure({ endpoint, trigger }, error, Date.now() - started);
      if (detected.kind === 'http') return httpFailure(error);
      throw error;
    }
  };
}

function triggerOf(detected: DetectedEvent): string {
  switch (detected.kind) {
    case 'http':
      return detected.transport;
    case 'input':
    case 's3':
      return detected.trigger;
    default:
      return detected.kind;
  }
}
