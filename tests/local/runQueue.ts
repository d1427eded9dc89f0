import type { SQSClient } from '@aws-sdk/client-sqs';
import type { MirrorHandler } from '../../lib/handler/createHandler';
import { type FunctionQueues, sqsEventSource } from '../support/sqsEventSource';

/** Which queue to poll and whom to call. */
export interface QueueRun {
  client: SQSClient;
  queues: FunctionQueues;
  /** serverless-offline's Lambda port, and the deployed function's name. */
  lambdaPort: number;
  functionName: string;
  log(line: string): void;
}

/**
 * serverless-offline runs no SQS event sources, so `npm start` stands in for Lambda's: it long
 * polls the function's local queue (fauxqs) and invokes the function through
 * serverless-offline's Lambda Invoke API with each batch, as the event source mapping does,
 * deleting the messages that did not fail. Returns a function that stops it after its poll.
 */
export function runQueue(run: QueueRun): () => void {
  const invoke: MirrorHandler = async (event) => {
    const response = await fetch(
      `http://127.0.0.1:${run.lambdaPort}/2015-03-31/functions/${run.functionName}/invocations`,
      { method: 'POST', body: JSON.stringify(event) },
    );
    return (await response.json()) as Awaited<ReturnType<MirrorHandler>>;
  };
  const source = sqsEventSource(run.client, run.queues, invoke);
  let stopped = false;
  const poll = async (): Promise<void> => {
    while (!stopped) {
      try {
        const batch = await source.poll();
        if (batch !== undefined) {
          run.log(
            `queue ${run.functionName}: ${batch.records.length} message(s), ${batch.deleted.length} done, ` +
              `${batch.kept.length} to come back`,
          );
        }
      } catch (error) {
        if (!stopped) run.log(`queue ${run.functionName}: ${error instanceof Error ? error.message : String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  void poll();
  return () => {
    stopped = true;
  };
}
