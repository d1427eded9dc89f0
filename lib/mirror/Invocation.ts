import type { Clients } from '../clients/Clients';
import type { AnswerRoom } from './AnswerRoom';
import type { EndpointDescription } from '../endpoints';
import type { ImageEvents } from '../imageEvents/ImageEvents';
import type { MetricTally } from '../metrics/MetricTally';
import type { RateLimiters } from '../feishu/RateLimiters';
import type { Deadline } from '../runtime/Deadline';
import type { Settings } from '../settings/Settings';

/**
 * What every piece of work in one invocation shares: the function, its settings, its time, its clients
 * and its rate limits.
 */
export interface Invocation {
  endpoint: EndpointDescription;
  settings: Settings;
  deadline: Deadline;
  /** S3, SSM and Feishu, as the edge was handed them. */
  clients: Clients;
  /** One per Feishu endpoint and invocation, so the images of every batch and message in it share Feishu's limits. */
  limiters: RateLimiters;
  /** How the work came in, for the log: rest, http, direct, batch, eventbridge, schedule, sqs, s3. */
  trigger: string;
  /**
   * What the work came in as, named in every line logged about it: an SQS message's
   * `messageId`, an S3 manifest's key (`manifest`).
   */
  origin?: Readonly<Record<string, string>>;
  /**
   * The room the work's answer has where it goes: an HTTP answer's, a task's, or none (SQS, S3
   * manifests); each document of a batch plans for its share.
   */
  answerRoom: AnswerRoom;
  /** The invocation's metrics, counted as the work goes and published once at the edge. */
  metrics: MetricTally;
  /** The `Image Mirrored` events of the images it newly stores, flushed at the edge. */
  imageEvents: ImageEvents;
}
