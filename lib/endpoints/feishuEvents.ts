import { imMessage } from './imMessage';
import type { ReceiverDescription } from './ReceiverDescription';

/**
 * The app's event URL: Feishu posts every event the app subscribes to here, encrypted with the
 * Encrypt Key and signed. Images posted in chats (`im.message.receive_v1`) become jobs for
 * `messageImage`'s queue. Feishu waits 3 seconds for the answer, then retries about 15 s,
 * 5 min, 1 h and 6 h later.
 */
export const feishuEvents = {
  kind: 'feishu-events',
  functionName: 'feishuEvents',
  receives: "the Feishu app's events",
  route: '/feishu/events',
  enqueues: imMessage,
  answerWithinSeconds: 3,
  // Feishu's events are a few kilobytes; a megabyte leaves room and bounds the work of a forgery.
  maxBodyBytes: 1024 * 1024,
} as const satisfies ReceiverDescription;
