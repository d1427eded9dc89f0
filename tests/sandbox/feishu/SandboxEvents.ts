import { type ChatPost, chatMessageEvent, type PostedMessage } from './chatMessages';
import type { EventApp } from './feishuEvents';
import {
  checkEventUrl,
  type Delivery,
  type DeliveryOptions,
  EventSender,
  type UrlVerificationResult,
} from './sendEvents';

/** What the sandbox's app needs to send its events. */
export interface SandboxEventSettings {
  app: EventApp;
  encryptKey: string;
  retryDelaysMs: readonly number[];
  /** Undefined until given. */
  eventUrl: string | undefined;
}

/**
 * The sandbox's events on their way to the app's event URL: one EventSender per URL (so that a
 * new URL leaves the deliveries to the old one alone), every delivery recorded.
 *
 * @example
 * const events = new SandboxEvents({ app, encryptKey, retryDelaysMs: [50], eventUrl: receiver.url });
 * await events.postToChat({ chatId: 'oc_1', messageType: 'image' }).delivery.done;
 * await events.close();
 */
export class SandboxEvents {
  /** Every delivery started, in order; emptied in place by `forget`. */
  readonly deliveries: Delivery[] = [];
  readonly #settings: SandboxEventSettings;
  readonly #senders = new Map<string, EventSender>();
  #closed = false;

  constructor(settings: SandboxEventSettings) {
    if (settings.eventUrl !== undefined) checkEventUrl(settings.eventUrl);
    this.#settings = { ...settings };
  }

  get eventUrl(): string | undefined {
    return this.#settings.eventUrl;
  }

  /** Sends later events to this URL. */
  setEventUrl(url: string): void {
    checkEventUrl(url);
    this.#settings.eventUrl = url;
  }

  /** Starts delivering an event and records the delivery; throws while there is no event URL. */
  send(event: unknown, options?: DeliveryOptions): Delivery {
    const delivery = this.#sender().start(event, options);
    this.deliveries.push(delivery);
    return delivery;
  }

  /** Posts a message in a chat and starts delivering its event. */
  postToChat(post: ChatPost): PostedMessage {
    const message = chatMessageEvent(post, this.#settings.app);
    return { ...message, delivery: this.send(message.event, post.delivery) };
  }

  /** Sends url_verification to the event URL. */
  verifyEventUrl(challenge?: string): Promise<UrlVerificationResult> {
    return this.#sender().verifyUrl(challenge);
  }

  /** Forgets the deliveries recorded; those under way go on. */
  forget(): void {
    this.deliveries.length = 0;
  }

  /** Cancels every delivery under way and refuses new ones. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#senders.values()].map((sender) => sender.close()));
  }

  #sender(): EventSender {
    const { eventUrl, app, encryptKey, retryDelaysMs } = this.#settings;
    if (this.#closed) throw new Error('the Feishu sandbox is closed');
    if (eventUrl === undefined) {
      throw new Error('the Feishu sandbox has no event URL: pass eventUrl or call setEventUrl');
    }
    const known = this.#senders.get(eventUrl);
    if (known !== undefined) return known;
    const sender = new EventSender({ url: eventUrl, encryptKey, retryDelaysMs, ...app });
    this.#senders.set(eventUrl, sender);
    return sender;
  }
}
