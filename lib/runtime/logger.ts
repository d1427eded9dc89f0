import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The product's structured logger, created once per container. Nothing secret is ever
 * passed to it: events are not logged (they carry API keys and user tokens), only ids,
 * outcomes and redacted error messages.
 */
export const logger = new Logger({ serviceName: 'feishu-image-mirror' });
