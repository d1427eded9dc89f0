import type { RateLimit } from '../endpoints';

/** A secret given directly in the environment, or by the name of an SSM SecureString. */
export type SecretSource = { value: string; setting: string } | { parameterName: string; setting: string };

/** The function's settings, read from its environment and checked. */
export interface Settings {
  feishuBaseUrl: string;
  appId: string;
  appSecret: SecretSource;
  /** Present only for the endpoint that needs it. */
  helpdesk?: { id: string; token: SecretSource };
  bucket: string;
  keyPrefix: string;
  presignExpiresSeconds: number;
  presignMaxSeconds: number;
  whiteboardMaxAgeSeconds: number;
  maxImageBytes: number;
  s3ForcePathStyle: boolean;
  /** Feishu's limit for this endpoint, from its description unless `<KIND>_RATE_LIMIT` overrides it. */
  rateLimit: RateLimit;
  /** The limits of every endpoint the function calls, its own among them, by kind. */
  rateLimits: Readonly<Record<string, RateLimit>>;
  /**
   * The DynamoDB table holding the rate budget every invocation shares (`RATE_LIMIT_TABLE`);
   * undefined: each invocation keeps the limits on its own.
   */
  rateLimitTable?: string;
  /** How many images of one batch are in flight at once. */
  batchConcurrency: number;
  /** The most items a batch answered by the invocation itself (not through S3) may hold. */
  batchMaxItems: number;
  /** The largest S3 manifest read, in bytes. */
  manifestMaxBytes: number;
  /** The ids a scheduled event without input refreshes (whiteboards: `SCHEDULED_WHITEBOARD_IDS`). */
  scheduledIds: string[];
  /** The EventBridge bus told of every image newly stored (`EVENT_BUS_NAME`); undefined: none is. */
  eventBusName?: string;
}

/** The settings of a receiver of Feishu's events (`feishuEvents`), read from its environment and checked. */
export interface ReceiverSettings {
  appId: string;
  /** The app's Encrypt Key: events are decrypted and their signatures checked with it. */
  encryptKey: SecretSource;
  /** The app's Verification Token, which every event carries. */
  verificationToken: SecretSource;
  /** The URL of the queue the images found become jobs in (`MESSAGE_IMAGE_QUEUE_URL`). */
  queueUrl: string;
  /** The chats whose images are mirrored (`EVENT_CHAT_IDS`); empty: every chat's. */
  chatIds: string[];
  /** The table recording events already queued (`RATE_LIMIT_TABLE`); undefined: none, so a redelivery queues again. */
  recordTable?: string;
}
