/**
 * The sandbox's own route, not Feishu's: `POST /sandbox/chats/{chatId}/messages` posts a message
 * in a sandbox chat, as a user of the Feishu client would, so that `npm start` can show it end to
 * end. Its JSON body is a ChatPost without the chat id, e.g. `{"messageType":"image"}` or
 * `{"messageType":"post","images":3}`. It answers once the event's first delivery attempt is
 * over: 200 with the message's ids and the attempts so far (retries go on behind it), 400 for a
 * body it cannot read, 409 while the sandbox has no event URL.
 */
import type { IncomingMessage } from 'node:http';
import type { ChatPost, PostedMessage } from './chatMessages';
import { readBody } from './readBody';
import { jsonReply, type Reply } from './replies';

/** The path of the route; its group is the chat id. */
export const chatMessagesPattern = /^\/sandbox\/chats\/([^/]+)\/messages$/;

const maxChatPostBytes = 16 * 1024;

/** What the route answers for a posted message. */
export interface ChatPostAnswer {
  chat_id: string;
  message_id: string;
  message_type: string;
  image_keys: string[];
  event_id: string;
  event_url: string;
  /** Some attempt was answered HTTP 200. */
  delivered: boolean;
  /** Retries or redeliveries are still to come. */
  pending: boolean;
  attempts: PostedMessage['delivery']['attempts'];
}

/** Posts a message in the chat the path names and answers as the header says. */
export async function answerChatPost(
  request: IncomingMessage,
  chatId: string,
  eventUrl: string | undefined,
  post: (input: ChatPost) => PostedMessage,
): Promise<Reply> {
  const body = await readBody(request, maxChatPostBytes);
  let input: unknown;
  try {
    input = JSON.parse(body?.toString('utf8') ?? '');
  } catch {
    input = undefined;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return jsonReply(400, { error: 'the body must be a JSON object such as {"messageType":"image"}' });
  }
  if (eventUrl === undefined) return jsonReply(409, { error: 'the sandbox has no event URL yet (setEventUrl)' });
  let posted: PostedMessage;
  try {
    posted = post({ ...(input as Omit<ChatPost, 'chatId'>), chatId: decodeURIComponent(chatId) });
  } catch (error) {
    return jsonReply(400, { error: error instanceof Error ? error.message : String(error) });
  }
  await posted.delivery.firstAttempt;
  const answer: ChatPostAnswer = {
    chat_id: posted.chatId,
    message_id: posted.messageId,
    message_type: posted.messageType,
    image_keys: posted.imageKeys,
    event_id: posted.event.header.event_id,
    event_url: eventUrl,
    delivered: posted.delivery.attempts.some((attempt) => attempt.ok),
    pending: !posted.delivery.ended,
    attempts: [...posted.delivery.attempts],
  };
  return jsonReply(200, answer);
}
