import { setTimeout as sleep } from 'node:timers/promises';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Clients } from '../clients/Clients';
import type { MetricTally } from '../metrics/MetricTally';
import type { ImageKind } from '../endpoints';
import { logger } from '../runtime/logger';

/** The `source` of every event the product puts; a rule matches on it. */
export const IMAGE_EVENT_SOURCE = 'feishu-image-mirror';
/** The `detail-type` of the event put for every image newly stored. */
export const IMAGE_EVENT_DETAIL_TYPE = 'Image Mirrored';

/**
 * What an `Image Mirrored` event tells, the same fields as a mirroring answer's: where the image
 * is and what it is; never a URL or a token. Declared here rather than taken from the answer's
 * type, since the data path (lib/mirror/) calls this layer and not the other way round.
 */
export interface ImageMirroredDetail {
  kind: ImageKind;
  /** The ids, under the payload's names. */
  source: Record<string, string>;
  bucket: string;
  key: string;
  contentType: string;
  size: number;
  /** Hex sha256 of the stored bytes. */
  sha256: string;
  fetchedAt: string;
}

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
 * entries EventBridge failed for a passing reason sent again. The events not published are
 * logged as one warning at `flush` and counted (ImageEventsUnpublished), never failing the
 * mirroring: the image is stored and answered all the same. Without a bus, it does nothing.
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
  #unpublished = 0;
  readonly #reasons = new Set<string>();

  constructor(busName: string | undefined, clients: Pick<Clients, 'eventBridge'>, metrics: MetricTally) {
    this.#busName = busName;
    this.#clients = clients;
    this.#metrics = metrics;
  }

  /**
   * Notes an image newly stored; a full call's worth is sent at once, within `signal`'s time
   * (the invocation's), the rest at `flush`.
   */
  stored(answer: ImageMirroredDetail, signal?: AbortSignal): void {
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

  /**
   * Sends what is left, 10 a call, and waits for every call; then, if any event was not
   * published, logs one warning with their count and reasons and counts them. Never throws.
   */
  async flush(signal: AbortSignal): Promise<void> {
    if (this.#waiting.length > 0) this.#send(signal);
    await Promise.all(this.#sending);
    if (this.#unpublished === 0) return;
    this.#metrics.add('ImageEventsUnpublished', this.#unpublished, {});
    logger.warn('image events not published', {
      count: this.#unpublished,
      reason: [...this.#reasons].join(', '),
      eventBusName: this.#busName,
    });
    this.#unpublished = 0;
    this.#reasons.clear();
  }

  #send(signal: AbortSignal): void {
    const entries = this.#waiting;
    this.#waiting = [];
    for (let start = 0; start < entries.length; start += ENTRIES_PER_CALL) {
      this.#sending.push(this.#put(entries.slice(start, start + ENTRIES_PER_CALL), signal));
    }
  }

  /** Puts `entries`, sending again those failed for a passing reason; notes the others as unpublished. */
  async #put(entries: PutEventsRequestEntry[], signal: AbortSignal): Promise<void> {
    let pending = entries;
    try {
      const client = await this.#clients.eventBridge();
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > 0) await sleep(RESEND_PAUSE_MS * attempt, undefined, { signal });
        const answer = await client.send(new PutEventsCommand({ Entries: pending }), { abortSignal: signal });
        // The answer's entries are in the order of the request's; a failed one has an ErrorCode.
        const resend: PutEventsRequestEntry[] = [];
        pending.forEach((entry, i) => {
          const code = answer.Entries?.[i]?.ErrorCode;
          if (code === undefined) return;
          if (PASSING_FAILURES.has(code) && attempt < RESENDS) resend.push(entry);
          else this.#lost(1, code);
        });
        pending = resend;
      }
    } catch (error) {
      this.#lost(pending.length, error instanceof Error ? error.name : 'UnknownError');
    }
  }

  #lost(count: number, reason: string): void {
    this.#unpublished += count;
    this.#reasons.add(reason);
  }
}
