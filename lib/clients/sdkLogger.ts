import { logger } from '../runtime/logger';

const ignore = (): void => undefined;

/**
 * What the AWS SDK may say, for its clients' `logger`: its warnings go to the debug log. Its
 * info lines (every command's input and output) never reach the log: they hold metadata and
 * keys of the bucket, and every outcome is logged once by the product already.
 */
export const sdkLogger = {
  trace: ignore,
  debug: ignore,
  info: ignore,
  warn: (...content: unknown[]): void => logger.debug('AWS SDK warning', { sdk: content.map(String).join(' ') }),
  error: (...content: unknown[]): void => logger.debug('AWS SDK error', { sdk: content.map(String).join(' ') }),
};
