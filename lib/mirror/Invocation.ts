import type { Clients } from '../clients/Clients';
import type { EndpointDescription } from '../endpoints';
import type { FeishuRateLimiter } from '../feishu/FeishuRateLimiter';
import type { Deadline } from '../runtime/Deadline';
import type { Settings } from '../settings/Settings';

/**
 * What every piece of work in one invocation shares: the function, its settings, its time, its clients
 * and its rate limit.
 */
export interface Invocation {
  endpoint: EndpointDescription;
  settings: Settings;
  deadline: Deadline;
  /** S3, SSM and Feishu, as the edge was handed them. */
  clients: Clients;
  /** One per invocation, so the images of every batch and message in it share Feishu's limit. */
  limiter: FeishuRateLimiter;
  /** How the work came in, for the log: rest, http, direct, batch, eventbridge, schedule, sqs, s3. */
  trigger: string;
}
