import type { EndpointDescription } from './EndpointDescription';

/**
 * A receiver: a function that Feishu calls with events pushed to the app (its event URL), and
 * that turns them into work for an image endpoint's queue instead of mirroring anything itself,
 * so that it answers within the time the sender waits. Its function, route, Function URL, role
 * and settings are derived from it (stack/receiverParts.ts).
 */
export interface ReceiverDescription {
  kind: string;
  /** The function's name in the stack; its file is `functions/{functionName}.ts`. */
  functionName: string;
  /** What the function receives, in its Lambda description: "Receives {receives} and queues …". */
  receives: string;
  /** The HTTP route (POST) of our API; not behind the API key, since the sender cannot send one. */
  route: string;
  /** The image endpoint whose queue receives one job per image found in an event. */
  enqueues: EndpointDescription<string>;
  /** How long the sender waits for an answer, in seconds: the function's timeout follows from it. */
  answerWithinSeconds: number;
  /** The largest body read; a larger one is refused before any work. */
  maxBodyBytes: number;
}
