import type { EndpointDescription } from '../endpoints';
import type { FeishuRateLimiter } from '../feishu/FeishuRateLimiter';
import type { Deadline } from '../runtime/Deadline';
import type { Settings } from '../settings/Settings';

/** What every piece of work in one invocation shares: the function, its settings, its time and its rate limit. */
export interface Invocation {
  endpoint: EndpointDescription;
  settings: Settings;
  deadline: Deadline;
  /** One per invocation, so the images of every batch and message in it share Feishu's limit. */
  limiter: FeishuRateLimiter;
  /** How the work came in, for the log: rest, http, direct, batch, eventbridge, schedule, sqs, s3. */
  trigger: string;
}
