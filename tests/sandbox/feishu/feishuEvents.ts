/**
 * Events in the shapes Feishu sends them to an app's event URL, before encryption: the
 * url_verification request, `im.message.receive_v1` (a 2.0 event) with the content of each
 * message type, and `app_ticket` (a 1.0 event). Plain objects, so a test may change any field.
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** Whose events these are: the app's id, its Verification Token and the tenant it is installed in. */
export interface EventApp {
  appId: string;
  verificationToken: string;
  tenantKey: string;
}

/** The sandbox's app, as startFeishuSandbox configures it by default. */
export const sandboxEventApp: EventApp = {
  appId: 'cli_sandbox0000000',
  verificationToken: 'sandbox-verification-token-0000',
  tenantKey: 'sandbox-tenant-key-0000',
};

/** The request Feishu sends when the event URL is saved; the answer must echo `challenge`. */
export interface UrlVerification {
  challenge: string;
  token: string;
  type: 'url_verification';
}

/** The header of a 2.0 event. */
export interface EventHeaderV2 {
  event_id: string;
  event_type: string;
  /** Milliseconds since the epoch, as a string. */
  create_time: string;
  /** The app's Verification Token. */
  token: string;
  app_id: string;
  tenant_key: string;
}

/** A 2.0 event (`"schema": "2.0"`). */
export interface EventV2<E> {
  schema: '2.0';
  header: EventHeaderV2;
  event: E;
}

/** A 1.0 event (`"type": "event_callback"`), such as `app_ticket`. */
export interface EventV1<E> {
  uuid: string;
  /** Seconds since the epoch with a fraction, as a string. */
  ts: string;
  token: string;
  type: 'event_callback';
  event: E;
}

/** Every message type a chat may carry; the sandbox builds the content of the first six. */
export type MessageType =
  | 'image'
  | 'post'
  | 'sticker'
  | 'merge_forward'
  | 'media'
  | 'text'
  | 'file'
  | 'audio'
  | 'interactive'
  | 'share_chat'
  | 'share_user';

/** A mention in a message: `@_user_1` in its text stands for it. */
export interface Mention {
  key: string;
  id: { open_id: string; union_id: string; user_id: string };
  name: string;
  tenant_key: string;
}

/** `event` of `im.message.receive_v1`. */
export interface MessageReceiveEvent {
  sender: {
    sender_id: { open_id: string; union_id: string; user_id: string };
    sender_type: string;
    tenant_key: string;
  };
  message: {
    message_id: string;
    root_id: string;
    parent_id: string;
    thread_id: string;
    /** Milliseconds since the epoch, as a string. */
    create_time: string;
    update_time: string;
    chat_id: string;
    chat_type: 'p2p' | 'group';
    message_type: MessageType | string;
    /** The content as a JSON string, as Feishu sends it. */
    content: string;
    mentions?: Mention[];
    user_agent?: string;
  };
}

/** `event` of the 1.0 `app_ticket` event. */
export interface AppTicketEvent {
  app_id: string;
  app_ticket: string;
  type: 'app_ticket';
}

/** A message type with its content, ready for messageReceived. */
export interface MessageBody {
  messageType: MessageType | string;
  /** An object is sent as its JSON; a string is sent as is (so a test may send malformed content). */
  content: unknown;
}

/** What messageReceived needs; every field but the chat and the content has a realistic default. */
export interface MessageReceivedInput extends MessageBody {
  chatId: string;
  /** Default: a fresh `om_…`. */
  messageId?: string;
  /** Default `group`. */
  chatType?: 'p2p' | 'group';
  /** Default: a fresh `ou_…`. */
  senderOpenId?: string;
  /** Default `user`. */
  senderType?: string;
  /** Default: now, in ms. */
  createTime?: number;
  /** Default '': set all three for a reply in a thread. */
  rootId?: string;
  parentId?: string;
  threadId?: string;
  mentions?: Mention[];
  /** Default: a fresh 32-hex-digit id. */
  eventId?: string;
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A fresh `event_id`: 32 hex digits. */
export function newEventId(): string {
  return hex(16);
}

/** A fresh `message_id`: `om_` and 32 hex digits, which no id rule of planContent.ts matches. */
export function newMessageId(): string {
  return `om_${hex(16)}`;
}

/** A fresh `image_key`: `img_v3_02` and hex digits, which no id rule of planContent.ts matches. */
export function newImageKey(): string {
  return `img_v3_02${hex(2)}_${randomUUID()}`;
}

/** A fresh `file_key`. */
export function newFileKey(): string {
  return `file_v3_00${hex(2)}_${randomUUID()}`;
}

/** A fresh `chat_id`: `oc_` and 32 hex digits. */
export function newChatId(): string {
  return `oc_${hex(16)}`;
}

/**
 * The url_verification request.
 *
 * @example
 * urlVerification('ajls384kdjx98XX', sandboxEventApp.verificationToken);
 */
export function urlVerification(challenge: string, token: string): UrlVerification {
  return { challenge, token, type: 'url_verification' };
}

/** A 2.0 event of this type, with a fresh event_id unless given. */
export function eventV2<E>(
  eventType: string,
  event: E,
  app: EventApp = sandboxEventApp,
  eventId = newEventId(),
): EventV2<E> {
  const header: EventHeaderV2 = {
    event_id: eventId,
    event_type: eventType,
    create_time: String(Date.now()),
    token: app.verificationToken,
    app_id: app.appId,
    tenant_key: app.tenantKey,
  };
  return { schema: '2.0', header, event };
}

/**
 * An `im.message.receive_v1` event, its content given as an object (sent as a JSON string).
 *
 * @example
 * messageReceived({ ...imageMessage('img_v3_1'), chatId: 'oc_1' });
 */
export function messageReceived(
  input: MessageReceivedInput,
  app: EventApp = sandboxEventApp,
): EventV2<MessageReceiveEvent> {
  const createTime = String(input.createTime ?? Date.now());
  const event: MessageReceiveEvent = {
    sender: {
      sender_id: { open_id: input.senderOpenId ?? `ou_${hex(16)}`, union_id: `on_${hex(16)}`, user_id: hex(4) },
      sender_type: input.senderType ?? 'user',
      tenant_key: app.tenantKey,
    },
    message: {
      message_id: input.messageId ?? newMessageId(),
      root_id: input.rootId ?? '',
      parent_id: input.parentId ?? '',
      thread_id: input.threadId ?? '',
      create_time: createTime,
      update_time: createTime,
      chat_id: input.chatId,
      chat_type: input.chatType ?? 'group',
      message_type: input.messageType,
      content: typeof input.content === 'string' ? input.content : JSON.stringify(input.content),
      ...(input.mentions === undefined ? {} : { mentions: input.mentions }),
      user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Lark/7.30.0',
    },
  };
  return eventV2('im.message.receive_v1', event, app, input.eventId);
}

/** An image message: `{"image_key":"img_…"}`. */
export function imageMessage(imageKey: string = newImageKey()): MessageBody {
  return { messageType: 'image', content: { image_key: imageKey } };
}

/** How a post's content is laid out: as received (`plain`), or wrapped in a locale as sent. */
export type PostForm = 'plain' | 'zh_cn' | 'en_us';

/**
 * A rich-text message: a title, then one paragraph of text and one image per image key, the
 * last image as a video's cover (`media`) when `withVideo`.
 *
 * @example
 * postMessage(['img_1', 'img_2'], { form: 'zh_cn' }).content; // { zh_cn: { title, content: [[…], …] } }
 */
export function postMessage(
  imageKeys: readonly string[],
  options: { form?: PostForm; title?: string; withVideo?: boolean } = {},
): MessageBody {
  const paragraphs: unknown[][] = imageKeys.map((imageKey, index) => {
    const last = index === imageKeys.length - 1;
    const image =
      last && options.withVideo === true
        ? { tag: 'media', file_key: newFileKey(), image_key: imageKey }
        : { tag: 'img', image_key: imageKey };
    return [{ tag: 'text', text: `Picture ${index + 1}: ` }, image];
  });
  const post = { title: options.title ?? 'Pictures from the sandbox', content: paragraphs };
  const form = options.form ?? 'plain';
  return { messageType: 'post', content: form === 'plain' ? post : { [form]: post } };
}

/** A sticker: `{"file_key"}`, no image key. */
export function stickerMessage(fileKey: string = newFileKey()): MessageBody {
  return { messageType: 'sticker', content: { file_key: fileKey } };
}

/** A merged forward, whose content says only that it is one. */
export function mergeForwardMessage(): MessageBody {
  return { messageType: 'merge_forward', content: { content: 'Merged and Forwarded Message' } };
}

/** A video: its file key and the image key of its cover. */
export function mediaMessage(imageKey: string = newImageKey(), fileKey: string = newFileKey()): MessageBody {
  return {
    messageType: 'media',
    content: { file_key: fileKey, image_key: imageKey, file_name: 'clip.mp4', duration: 2000 },
  };
}

/** A text message. */
export function textMessage(text: string): MessageBody {
  return { messageType: 'text', content: { text } };
}

/**
 * The 1.0 `app_ticket` event Feishu pushes every hour to a store app.
 *
 * @example
 * appTicket(); // { uuid, ts: '1700000000.123', token, type: 'event_callback', event: { type: 'app_ticket', … } }
 */
export function appTicket(app: EventApp = sandboxEventApp, ticket = `ticket-${hex(8)}`): EventV1<AppTicketEvent> {
  return {
    uuid: hex(16),
    ts: (Date.now() / 1000).toFixed(3),
    token: app.verificationToken,
    type: 'event_callback',
    event: { app_id: app.appId, app_ticket: ticket, type: 'app_ticket' },
  };
}
