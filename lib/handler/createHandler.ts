import type { APIGatewayProxyResult, Context, SQSBatchResponse } from 'aws-lambda';
import { httpFailure, httpSuccess } from './httpAnswer';
import { openInvocation } from './openInvocation';
import type { BatchAnswer } from '../batch/BatchAnswer';
import { fitAnswer } from '../batch/fitAnswer';
import { mirrorRequest, runBatch } from '../batch/runBatch';
import type { EndpointDescription } from '../endpoints';
import type { Clients } from '../clients/Clients';
import { toMirrorError } from '../errors/errorBody';
import type { ImageEvents } from '../imageEvents/ImageEvents';
import type { Deadline } from '../runtime/Deadline';
import type { DocumentAnswer } from '../mirror/DocumentAnswer';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { type AnswerRoom, HTTP_ANSWER_ROOM, TASK_ANSWER_ROOM, UNLIMITED_ROOM } from '../mirror/AnswerRoom';
import { detectEvent, type DetectedEvent } from '../request/detectEvent';
import { parseHttpEvent } from '../request/parseHttpEvent';
import { logger } from '../runtime/logger';
import { FunctionMetrics } from '../metrics/FunctionMetrics';
import { MetricTally } from '../metrics/MetricTally';
import { handleS3Manifests, type ManifestsAnswer } from '../triggers/handleS3Manifests';
import { handleSqsEvent } from '../triggers/handleSqsEvent';
import { runInput } from '../triggers/runInput';
import { scheduledBatch } from '../triggers/scheduledBatch';
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
 * error whose `name` (`NotFoundError`, …) Step Functions can match. An answer is fitted to the
 * room it has where it goes (answerRoomOf, fitAnswer): a document's may be answered compact, in
 * full in S3. `clients` reach S3, SSM and Feishu: the container's own, built at first use,
 * unless a caller (a test) hands in others. As the invocation ends, failed or not, the
 * `Image Mirrored` events of the images it stored are put (ImageEvents, with EVENT_BUS_NAME)
 * and its metrics published under the function's name (FunctionMetrics).
 *
 * @example
 * export const handler = createHandler(whiteboard);
 */
export function createHandler(endpoint: EndpointDescription, clients?: Clients): MirrorHandler {
  const functionMetrics = new FunctionMetrics(endpoint.functionName);
  return async (event, context) => {
    const started = Date.now();
    const metrics = new MetricTally();
    const detected = detectEvent(event);
    const trigger = triggerOf(detected);
    if (context?.awsRequestId) logger.appendKeys({ requestId: context.awsRequestId });
    let told: { imageEvents: ImageEvents; deadline: Deadline } | undefined;
    try {
      const invocation = openInvocation({
        endpoint,
        event,
        detected,
        context,
        clients,
        metrics,
        trigger,
        answerRoom: answerRoomOf(detected),
      });
      const { settings } = invocation;
      told = invocation;
      switch (detected.kind) {
        case 'http': {
          const request = parseHttpEvent(event, detected.transport, endpoint, settings);
          return httpSuccess(
            fitAnswer(await mirrorRequest(invocation, request), invocation.answerRoom),
            request.redirect,
          );
        }
        case 'sqs':
          return await handleSqsEvent(detected.event, invocation);
        case 's3':
          return await handleS3Manifests(detected.notices, invocation);
        case 'schedule':
          return fitAnswer(await runBatch(scheduledBatch(invocation), invocation), invocation.answerRoom);
        case 'input':
          return fitAnswer(await runInput(detected.input, invocation), invocation.answerRoom);
      }
    } catch (thrown) {
      const error = toMirrorError(thrown);
      logFailure({ endpoint, trigger, metrics }, error, Date.now() - started);
      if (detected.kind === 'http') return httpFailure(error);
      throw error;
    } finally {
      // Before the metrics, which count the events not published.
      await told?.imageEvents.flush(told.deadline.cleanupSignal());
      functionMetrics.publish(metrics, context?.awsRequestId);
    }
  };
}

/**
 * The room of the answer, by where it goes: an HTTP answer's; none for SQS and S3 notifications,
 * whose answers nobody reads back through Lambda; a Step Functions task's for every other (a
 * direct Invoke and a task cannot be told apart).
 */
function answerRoomOf(detected: DetectedEvent): AnswerRoom {
  switch (detected.kind) {
    case 'http':
      return HTTP_ANSWER_ROOM;
    case 'sqs':
    case 's3':
      return UNLIMITED_ROOM;
    default:
      return TASK_ANSWER_ROOM;
  }
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
