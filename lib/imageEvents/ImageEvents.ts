import { setTimeout as sleep } from 'node:timers/promises';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Clients } from '../clients/Clients';
import type { MetricTally } from '../metrics/MetricTally';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { logger } from '../runtime/logger';

/** The `source` of every event the product puts; a rule matches on it. */
export const IMAGE_EVENT_SOURCE = 'feishu-image-mirror';
/** The `detail-type` of the event put for every image newly stored. */
export const IMAGE_EVENT_DETAIL_TYPE = 'Image Mirrored';

/** What an `Image Mirrored` event tells: where the image is and what it is; never a URL or a token. */
export type ImageMirroredDetail = Pick<
  MirrorAnswer,
  'kind' | 'source' | 'bucket' | 'key' | 'contentType' | 'size' | 'sha256' | 'fetchedAt'
>;

/** PutEvents takes at most 10 entries. */
const ENTRIES_PER_CALL = 10;
/** Sends of the entries EventBridge failed for a passing reason, after the first. */
const RESENDS = 2;
const RESEND_PAUSE_MS = 100;
/** Failures EventBridge may not repeat; any other code is the entry's own fault. */
const PASSING_FAILURES = new Set(['InternalFailure', 'ThrottlingException']);

/**
 * The `Image Mirrored` events of one invocation, put on the bus EVENT_BUS_NAME names: one per
 * image newly stored (cache hits tell nothing new), 10 a PutEvents call as they come, the
 * entries EventBridge failed for a passing reason sent again. A failure to publish is logged
 * as a warning and counted (ImageEventsUnpublished), never failing the mirroring: the image is
 * stored and answered all the same. Without a bus, it does nothing.
 *
 * @example
 * const events = new ImageEvents(settings.eventBusName, clients, metrics);
 * events.stored(answer);
 * await events.flush(deadline.cleanupSignal());
 */
export class ImageEvents {
  readonly #busName: string | undefined;
  readonly #clients: Pick<Clients, 'eventBridge'>;
  readonly #metrics: MetricTally;
  #waiting: PutEventsRequestEntry[] = [];
  readonly #sending: Promise<void>[] = [];
  #signal: AbortSignal | undefined;

  constructor(busName: string | undefined, clients: Pick<Clients, 'eventBridge'>, metrics: MetricTally) {
    this.#busName = busName;
    this.#clients = clients;
    this.#metrics = metrics;
  }

  /**
   * Notes an image newly stored; a full call's worth is sent at once, within `signal`'s time
   * (the invocation's), the rest at `flush`.
   */
  stored(answer: MirrorAnswer, signal?: AbortSignal): void {
    if (this.#busName === undefined) return;
    const { kind, source, bucket, key, contentType, size, sha256, fetchedAt } = answer;
    const detail: ImageMirroredDetail = { kind, source, bucket, key, contentType, size, sha256, fetchedAt };
    this.#waiting.push({
      EventBusName: this.#busName,
      Source: IMAGE_EVENT_SOURCE,
      DetailType: IMAGE_EVENT_DETAIL_TYPE,
      Detail: JSON.stringify(detail),
    });
    this.#signal = signal ?? this.#signal;
    if (this.#waiting.length >= ENTRIES_PER_CALL && this.#signal !== undefined) this.#send(this.#signal);
  }

  /** Sends what is left and waits for every call; never throws. */
  async flush(signal: AbortSignal): Promise<void> {
    if (this.#waiting.length > 0) this.#send(signal);
    await Promise.all(this.#sending);
  }

  #send(signal: AbortSignal): void {
    const entries = this.#waiting;
    this.#waiting = [];
    this.#sending.push(this.#put(entries, signal));
  }

  async #put(entries: PutEventsRequestEntry[], signal: AbortSignal): Promise<void> {
    let pending = entries;
    let reason = '';
    try {
      const client = await this.#clients.eventBridge();
      for (let attempt = 0; attempt <= RESENDS && pending.length > 0; attempt += 1) {
        if (attempt > 0) await sleep(RESEND_PAUSE_MS * attempt, undefined, { signal });
        const answer = await client.send(new PutEventsCommand({ Entries: pending }), { abortSignal: signal });
        // The answer's entries are in the order of the request's; a failed one has an ErrorCode.
        const failed = pending.filter((_, i) => answer.Entries?.[i]?.ErrorCode !== undefined);
        const codes = (answer.Entries ?? []).flatMap((entry) => (entry.ErrorCode ? [entry.ErrorCode] : []));
        reason = codes[0] ?? reason;
        const lasting = codes.some((code) => !PASSING_FAILURES.has(code));
        pending = failed;
        if (lasting) break;
      }
    } catch (error) {
      reason = error instanceof Error ? error.name : 'UnknownError';
    }
    if (pending.length === 0) return;
    this.#metrics.add('ImageEventsUnpublished', pending.length, {});
    logger.warn('image events not published', { count: pending.length, reason, eventBusName: this.#busName });
  }
}
