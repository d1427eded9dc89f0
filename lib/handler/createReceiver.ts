import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Clients } from '../clients/Clients';
import { containerClients } from '../clients/containerClients';
import type { ReceiverDescription } from '../endpoints';
import { toMirrorError } from '../errors/errorBody';
import { invalidRequest } from '../errors/MirrorError';
import { FunctionMetrics } from '../metrics/FunctionMetrics';
import { MetricTally } from '../metrics/MetricTally';
import { readEventRequest } from '../receiver/readEventRequest';
import { receiveEvent, type ReceivedOutcome } from '../receiver/receiveEvent';
import { detectTransport } from '../request/detectTransport';
import { Deadline } from '../runtime/Deadline';
import { describeCause } from '../mirror/mirrorLogged';
import { logger } from '../runtime/logger';
import { redact } from '../runtime/redact';
import { loadReceiverSettings } from '../settings/loadSettings';
import { httpFailure } from './httpAnswer';

/** A receiver's Lambda handler: an HTTP event in, an HTTP answer out. */
export type ReceiverHandler = (event: unknown, context?: Partial<Context>) => Promise<APIGatewayProxyResult>;

/** Time kept back from what the sender waits, so that a failure is answered before it gives up. */
const ANSWER_MARGIN_MS = 300;

/**
 * The edge of a receiver of Feishu's events: reads the request (API Gateway REST, HTTP API or
 * the Function URL; refusing a body over the receiver's limit before any work), its settings,
 * and answers within the time the sender waits: 200 with the challenge or the outcome, or the
 * error table's status, whose message says what was wrong and never echoes the body. Every
 * request is logged once, and counted (EventsReceived, EventsRefused by code).
 *
 * @example
 * export const handler = createReceiver(feishuEvents);
 */
export function createReceiver(receiver: ReceiverDescription, clients?: Clients): ReceiverHandler {
  const functionMetrics = new FunctionMetrics(receiver.functionName);
  return async (event, context) => {
    const started = Date.now();
    const metrics = new MetricTally();
    metrics.add('EventsReceived', 1, {});
    if (context?.awsRequestId) logger.appendKeys({ requestId: context.awsRequestId });
    try {
      const transport = detectTransport(event);
      if (transport === 'direct') {
        throw invalidRequest(`${receiver.functionName} takes HTTP requests only (API Gateway or its Function URL)`);
      }
      const request = readEventRequest(event, transport, receiver.maxBodyBytes);
      const settings = loadReceiverSettings(process.env, receiver);
      const outcome = await receiveEvent(request, {
        receiver,
        settings,
        deadline: Deadline.fromContext(context, receiver.answerWithinSeconds * 1000 - ANSWER_MARGIN_MS),
        clients: clients ?? containerClients(),
        metrics,
        holder: context?.awsRequestId ?? `${started}-${Math.random()}`,
      });
      logger.info('event received', { ...described(outcome), transport, durationMs: Date.now() - started });
      return {
        statusCode: 200,
        headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
        body: JSON.stringify('challenge' in outcome ? { challenge: outcome.challenge } : outcome),
      };
    } catch (thrown) {
      const error = toMirrorError(thrown);
      metrics.add('EventsRefused', 1, { code: error.code });
      metrics.add('Errors', 1, { code: error.code });
      const fields = {
        kind: receiver.kind,
        code: error.code,
        reason: redact(error.message),
        retryable: error.retryable,
        durationMs: Date.now() - started,
        cause: describeCause(error.cause),
      };
      if (error.status >= 500) logger.error('event refused', fields);
      else logger.warn('event refused', fields);
      return httpFailure(error);
    } finally {
      functionMetrics.publish(metrics, context?.awsRequestId);
    }
  };
}

/** The outcome for the log line: never the challenge, which the console chose, nor the event's content. */
function described(outcome: ReceivedOutcome): Record<string, unknown> {
  return 'challenge' in outcome ? { eventType: 'url_verification' } : { ...outcome };
}
