import type { Context } from 'aws-lambda';
import type { Clients } from '../clients/Clients';
import { containerClients } from '../clients/containerClients';
import type { EndpointDescription } from '../endpoints';
import { invocationRateLimiters } from '../feishu/RateLimiters';
import { SharedRateBudget } from '../feishu/SharedRateBudget';
import type { AnswerRoom } from '../mirror/AnswerRoom';
import type { Invocation } from '../mirror/Invocation';
import { ImageEvents } from '../imageEvents/ImageEvents';
import type { MetricTally } from '../metrics/MetricTally';
import { callerWaitsMs } from '../request/detectTransport';
import type { DetectedEvent } from '../request/detectEvent';
import { Deadline } from '../runtime/Deadline';
import { loadSettings } from '../settings/loadSettings';

/** What an invocation is opened from, at the edge. */
export interface InvocationStart {
  endpoint: EndpointDescription;
  event: unknown;
  detected: DetectedEvent;
  context?: Partial<Context>;
  /** The clients a caller (a test) hands in; the container's own otherwise. */
  clients?: Clients;
  metrics: MetricTally;
  trigger: string;
  answerRoom: AnswerRoom;
}

/**
 * The invocation of a function, the same for every shape of it: its settings, its time (an
 * HTTP caller's wait at most), its clients, its rate limiters, in the budget every invocation
 * shares when `RATE_LIMIT_TABLE` names one, and the `Image Mirrored` events of what it stores.
 *
 * @example
 * const invocation = openInvocation({ endpoint, event, detected, context, metrics, trigger, answerRoom });
 */
export function openInvocation(start: InvocationStart): Invocation {
  const { endpoint, event, detected, context, metrics, trigger, answerRoom } = start;
  const settings = loadSettings(process.env, endpoint);
  const cap = detected.kind === 'http' ? callerWaitsMs(event, detected.transport) : Infinity;
  const reach = start.clients ?? containerClients();
  const app = `${settings.feishuBaseUrl}|${settings.appId}`;
  const budget =
    settings.rateLimitTable === undefined
      ? undefined
      : new SharedRateBudget(reach.counters(settings.rateLimitTable), app, { metrics });
  return {
    endpoint,
    settings,
    trigger,
    deadline: Deadline.fromContext(context, cap),
    clients: reach,
    limiters: invocationRateLimiters(settings.rateLimits, app, budget, metrics),
    answerRoom,
    metrics,
    imageEvents: new ImageEvents(settings.eventBusName, reach, metrics),
  };
}
