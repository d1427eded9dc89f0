import type { Clients } from '../clients/Clients';
import type { ReceiverDescription } from '../endpoints';
import { invalidRequest, MirrorError } from '../errors/MirrorError';
import { resolveSecret } from '../feishu/resolveSecret';
import type { MetricTally } from '../metrics/MetricTally';
import type { Deadline } from '../runtime/Deadline';
import { logger } from '../runtime/logger';
import type { ReceiverSettings } from '../settings/Settings';
import { enqueueJobs } from './enqueueJobs';
import { messageImages } from './messageImages';
import { MAX_REQUEST_AGE_SECONDS, openEvent } from './openEvent';
import type { RawRequest } from './readEventRequest';

/** The one event type whose images are mirrored: a message sent in a chat the bot is in. */
export const MESSAGE_RECEIVED = 'im.message.receive_v1';

/**
 * A claim on an event lasts longer than the function may run, and ends before Feishu's first
 * retry (about 15 s after a failed answer): a crashed invocation's claim never blocks it.
 */
export const CLAIM_SECONDS = 10;
/** A settled record outlives any request that may still be accepted, whose timestamp is at most 8 hours old. */
export const RECORD_SECONDS = MAX_REQUEST_AGE_SECONDS + 3600;

/** What one invocation of a receiver works with. */
export interface ReceiverContext {
  receiver: ReceiverDescription;
  settings: ReceiverSettings;
  deadline: Deadline;
  clients: Clients;
  metrics: MetricTally;
  /** Who claims the events of this invocation (its request id). */
  holder: string;
}

/** What became of a request proven to come from Feishu. */
export type ReceivedOutcome =
  | { challenge: string }
  | {
      eventType: string;
      eventId: string;
      /** queued: its images are jobs now; duplicate: they were already; skipped: none to queue; ignored: no message. */
      outcome: 'queued' | 'duplicate' | 'skipped' | 'ignored';
      messageId?: string;
      images?: number;
    };

/**
 * Receives one request of Feishu's: proves it (openEvent), answers the console's challenge,
 * and turns a message's images into one job each, `{ messageId, fileKey }`, on the endpoint's
 * queue. A message is claimed in the record table before its jobs are sent and recorded as
 * done after, so that a redelivered event queues nothing, and a failure in between (answered
 * QUEUE_ERROR, a 500) leaves Feishu's retry free to finish the work. Other events are
 * acknowledged and ignored. Mirrors nothing itself: Feishu waits only 3 seconds.
 *
 * @example
 * const outcome = await receiveEvent(readEventRequest(event, 'rest', MAX), context);
 */
export async function receiveEvent(request: RawRequest, context: ReceiverContext): Promise<ReceivedOutcome> {
  const { settings, clients, deadline } = context;
  if (request.method !== 'POST')
    throw invalidRequest(`Feishu's events come by POST, not ${request.method || 'no method'}`);
  const [encryptKey, verificationToken] = await Promise.all([
    resolveSecret(settings.encryptKey, clients, deadline.signal),
    resolveSecret(settings.verificationToken, clients, deadline.signal),
  ]);
  const opened = openEvent(request, { encryptKey, verificationToken, appId: settings.appId, now: Date.now() });
  if (opened.type === 'url_verification') return { challenge: opened.challenge };

  const { eventId, eventType } = opened;
  if (eventType !== MESSAGE_RECEIVED) return { eventType, eventId, outcome: 'ignored' };
  const message = messageImages(opened.event);
  if (message === undefined) throw invalidRequest(`the ${MESSAGE_RECEIVED} event holds no message with a message_id`);
  const about = { eventType, eventId, messageId: message.messageId };
  const chatSkipped = settings.chatIds.length > 0 && !settings.chatIds.includes(message.chatId);
  const skipped = chatSkipped ? 'the chat is not one of EVENT_CHAT_IDS' : 'skipped' in message ? message.skipped : '';
  if (skipped !== '') {
    logger.debug('event skipped', { ...about, reason: skipped });
    return { ...about, outcome: 'skipped' };
  }
  const imageKeys = 'imageKeys' in message ? message.imageKeys : [];
  const jobs = imageKeys.map((fileKey) => ({ messageId: message.messageId, fileKey }));
  const recordKey = `feishu-event|${settings.appId}|message|${message.messageId}`;
  const records = settings.recordTable === undefined ? undefined : clients.records(settings.recordTable);
  const now = Math.floor(Date.now() / 1000);

  if (
    records &&
    !(await claim(() => records.claim(recordKey, context.holder, now + CLAIM_SECONDS, now, deadline.signal)))
  ) {
    return { ...about, outcome: 'duplicate' };
  }
  try {
    await enqueueJobs(await clients.sqs(), settings.queueUrl, jobs, deadline);
  } catch (error) {
    await records?.release(recordKey, context.holder, deadline.cleanupSignal()).catch((cause: unknown) => {
      logger.warn('event claim not released', { ...about, cause: String(cause), claimSeconds: CLAIM_SECONDS });
    });
    throw error;
  }
  context.metrics.add('ImagesQueued', jobs.length, {});
  await records?.settle(recordKey, now + RECORD_SECONDS, deadline.cleanupSignal()).catch((cause: unknown) => {
    // The jobs are queued: the answer is a success, and a redelivery after the claim ends queues them again.
    logger.warn('event not recorded as queued', { ...about, cause: String(cause) });
  });
  return { ...about, outcome: 'queued', images: jobs.length };
}

async function claim(write: () => Promise<boolean>): Promise<boolean> {
  try {
    return await write();
  } catch (error) {
    throw new MirrorError(
      'QUEUE_ERROR',
      'the record table did not take the claim on the event; it is to be sent again',
      {
        cause: error,
      },
    );
  }
}
