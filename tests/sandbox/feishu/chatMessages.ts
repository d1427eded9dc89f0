import type { DeliveryOptions, Delivery } from './sendEvents';
import {
  type EventApp,
  type EventV2,
  imageMessage,
  type MessageReceiveEvent,
  messageReceived,
  newImageKey,
  newMessageId,
  type PostForm,
  postMessage,
} from './feishuEvents';

/** The most images one post of the sandbox holds. */
export const maxPostImages = 20;

/** A message posted in a sandbox chat with {@link FeishuSandbox.postToChat}. */
export interface ChatPost {
  /** Any id of `^[A-Za-z0-9_-]{1,256}$`; real ones are `oc_` and 32 hex digits. */
  chatId: string;
  messageType: 'image' | 'post';
  /** Default 1 for an image, 2 for a post; a post holds 1 to 20. */
  images?: number;
  /** Default `plain`: a post's content as received; `zh_cn` or `en_us` wraps it in that locale. */
  form?: PostForm;
  /** Default `group`. */
  chatType?: 'p2p' | 'group';
  /** How the event is sent (encryption, signature, redeliveries after the success). */
  delivery?: DeliveryOptions;
}

/** A posted message: its ids, the event that tells of it, and that event's delivery. */
export interface PostedMessage {
  chatId: string;
  messageId: string;
  messageType: 'image' | 'post';
  /** In the order they stand in the message. */
  imageKeys: string[];
  event: EventV2<MessageReceiveEvent>;
  delivery: Delivery;
}

/** What is wrong with a chat post, if anything. */
export function chatPostProblem(post: ChatPost): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(post.chatId)) return 'chatId must match ^[A-Za-z0-9_-]{1,256}$';
  if (post.messageType !== 'image' && post.messageType !== 'post') return "messageType must be 'image' or 'post'";
  const images = post.images ?? 1;
  if (post.messageType === 'image' && images !== 1) return 'an image message holds exactly 1 image';
  if (!Number.isInteger(images) || images < 1 || images > maxPostImages) {
    return `images must be an integer from 1 to ${maxPostImages}`;
  }
  if (post.form !== undefined && !['plain', 'zh_cn', 'en_us'].includes(post.form)) {
    return "form must be 'plain', 'zh_cn' or 'en_us'";
  }
  if (post.chatType !== undefined && post.chatType !== 'p2p' && post.chatType !== 'group') {
    return "chatType must be 'p2p' or 'group'";
  }
  if (post.delivery !== undefined && (typeof post.delivery !== 'object' || post.delivery === null)) {
    return 'delivery must be an object of DeliveryOptions';
  }
  return undefined;
}

/**
 * The event of a new message in a chat, with fresh message id and image keys. The ids match no
 * rule of planContent.ts, so the message-resource endpoint serves each image key its own PNG.
 *
 * @example
 * const { messageId, imageKeys, event } = chatMessageEvent({ chatId: 'oc_1', messageType: 'post', images: 3 }, app);
 */
export function chatMessageEvent(post: ChatPost, app: EventApp): Omit<PostedMessage, 'delivery'> {
  const problem = chatPostProblem(post);
  if (problem !== undefined) throw new Error(problem);
  const imageKeys = Array.from({ length: post.images ?? (post.messageType === 'post' ? 2 : 1) }, newImageKey);
  const body =
    post.messageType === 'image' ? imageMessage(imageKeys[0]) : postMessage(imageKeys, { form: post.form ?? 'plain' });
  const messageId = newMessageId();
  const event = messageReceived({ ...body, chatId: post.chatId, messageId, chatType: post.chatType }, app);
  return { chatId: post.chatId, messageId, messageType: post.messageType, imageKeys, event };
}
