import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BatchAnswer } from '../../lib/batch/BatchAnswer';
import type { CounterTable } from '../../lib/clients/Clients';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import { containerClients } from '../../lib/clients/containerClients';
import { buildDynamoClient, dynamoCounterTable } from '../../lib/clients/dynamoCounterTable';
import { im } from '../../lib/endpoints';
import { SharedRateBudget } from '../../lib/feishu/SharedRateBudget';
import { Deadline } from '../../lib/runtime/Deadline';
import { createHandler } from '../../lib/handler/createHandler';
import { logger } from '../../lib/runtime/logger';
import { LOCAL_S3_CREDENTIALS } from '../sandbox/s3/startLocalS3';
import { lambdaContext } from '../support/lambdaContext';
import { startScriptedServer } from '../support/scriptedServer';
import type { MirrorEnvironment } from '../support/mirrorEnvironment';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

/** A batch of im images no other batch names: `count` ids starting with `prefix`. */
const batchOf = (prefix: string, count: number) => ({
  items: Array.from({ length: count }, (_, i) => ({ imageKey: `img_v3_${prefix}_${i}` })),
});

/** A loopback port nothing listens on: DynamoDB there refuses every connection. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Runs a batch through the im function with the container's clients but a DynamoDB client of
 * its own, which meets the endpoint `AWS_ENDPOINT_URL_DYNAMODB` names during the call (the
 * container's client keeps the one it first met).
 */
async function mirrorWithDynamoAt(env: MirrorEnvironment, endpoint: string, prefix: string): Promise<BatchAnswer> {
  const clients = {
    ...containerClients(),
    counters: (table: string) => dynamoCounterTable(buildDynamoClient(), table),
  };
  env.setEnv({ AWS_ENDPOINT_URL_DYNAMODB: endpoint });
  try {
    return (await createHandler(im, clients)(batchOf(prefix, 20), lambdaContext(30_000))) as BatchAnswer;
  } finally {
    env.setEnv({ AWS_ENDPOINT_URL_DYNAMODB: env.dynamo!.endpoint });
  }
}

/** The warnings that the shared budget was given up. */
const fallBacks = (warn: jest.SpyInstance) =>
  warn.mock.calls.filter(([message]) => message === 'shared rate budget unavailable');

// A file of its own: the sandbox enforces the documented limits, and the budget lives in dynalite.
describe('One rate budget shared by every invocation (RATE_LIMIT_TABLE)', () => {
  const env = useMirrorEnvironment({ feishu: { rateLimits: true }, sharedBudget: true });
  afterEach(() => jest.restoreAllMocks());

  /** The downloads of an endpoint the sandbox answered with a rate-limit error. */
  const rateLimited = (endpoint = 'im'): number =>
    env.feishu.requests.filter((request) => request.endpoint === endpoint && request.status === 429).length;

  /** Two batches of 30 whiteboards at once, each in an invocation of its own; Feishu's rate-limit answers to them. */
  async function twoAtOnce(prefix: string): Promise<{ succeeded: number[]; rateLimited: number }> {
    const before = rateLimited('whiteboard');
    const batch = (name: string) => ({
      items: Array.from({ length: 30 }, (_, i) => ({ whiteboardId: `wb_${prefix}_${name}_${i}` })),
    });
    const answers = (await Promise.all([
      whiteboardImage(batch('a'), lambdaContext(30_000)),
      whiteboardImage(batch('b'), lambdaContext(30_000)),
    ])) as BatchAnswer[];
    return { succeeded: answers.map((answer) => answer.succeeded), rateLimited: rateLimited('whiteboard') - before };
  }

  // The sandbox runs in this process: when the machine is busy, its event loop can stamp calls
  // closer together than they were sent, which a Feishu across a network would not, so this
  // compares with the same invocations without the table. tests/proof/ runs the functions in
  // processes of their own and asserts no rate-limit answer at all.
  it("keeps two invocations at once within the whiteboards' 10/s together, " +
    'drawing at most a tenth of the rate-limit answers they draw without the table', async () => {
    // Act
    const shared = await twoAtOnce('together');
    // Afterwards: calls of this second that the table never saw would draw rate limits of their own.
    env.setEnv({ RATE_LIMIT_TABLE: undefined });
    const alone = await twoAtOnce('alone').finally(() => env.setEnv({ RATE_LIMIT_TABLE: env.dynamo!.tableName }));

    // Assess
    expect(shared.succeeded).toEqual([30, 30]);
    expect(alone.rateLimited).toBeGreaterThanOrEqual(10);
    expect(shared.rateLimited).toBeLessThanOrEqual(alone.rateLimited / 10);
  }, 60_000);

  it('never gives one slot to two of six invocations reserving at once in DynamoDB', async () => {
    // Prepare
    const client = new DynamoDBClient({
      endpoint: env.dynamo!.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_S3_CREDENTIALS,
    });
    const dynamo = dynamoCounterTable(client, env.dynamo!.tableName);
    /** The slots each successful move gave, as the span between the schedule's old and new next slot. */
    const given: { from: number; to: number }[] = [];
    const recording: CounterTable = {
      add: (update, expiresAt, signal) => dynamo.add(update, expiresAt, signal),
      move: async (move, expiresAt, signal) => {
        const next = await dynamo.move(move, expiresAt, signal);
        const span = 'by' in move ? move.by : move.to - move.ifBelow;
        if (next !== undefined) given.push({ from: next - span, to: next });
        return next;
      },
    };
    // 500/s: slots 3 ms apart, so that six invocations meet at the table within a second.
    const limit = { perSecond: 500 };
    const deadline = new Deadline(20_000);

    // Act
    await Promise.all(
      Array.from({ length: 6 }, (_, b) => {
        const endpoint = new SharedRateBudget(recording, 'https://open.feishu.cn|cli_slots', {}).endpoint('im', limit);
        return Promise.all(Array.from({ length: 50 }, (_, i) => endpoint.take(deadline, `im image ${b}/${i}`)));
      }),
    ).finally(() => client.destroy());

    // Assess
    const sorted = [...given].sort((a, b) => a.from - b.from);
    const overlaps = sorted.slice(1).filter((span, i) => span.from < sorted[i]!.to);
    expect(sorted.reduce((sum, span) => sum + (span.to - span.from) / 3, 0)).toBeGreaterThanOrEqual(300);
    expect(overlaps).toEqual([]);
  }, 30_000);

  it('mirrors every image with its own limiter and one warning when DynamoDB cannot be reached', async () => {
    // Prepare
    const warn = jest.spyOn(logger, 'warn');
    const unreachable = `http://127.0.0.1:${await closedPort()}`;

    // Act
    const answer = await mirrorWithDynamoAt(env, unreachable, 'unreachable');

    // Assess
    expect(answer).toMatchObject({ succeeded: 20, failed: 0 });
    expect(fallBacks(warn)).toHaveLength(1);
    expect(rateLimited()).toBe(0);
  }, 30_000);

  it('mirrors every image with its own limiter and one warning when DynamoDB throttles', async () => {
    // Prepare
    const warn = jest.spyOn(logger, 'warn');
    const throttling = await startScriptedServer();
    throttling.answer({
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
        message: 'Rate of requests exceeds the allowed throughput.',
      }),
    });

    // Act
    const answer = await mirrorWithDynamoAt(env, throttling.endpoint, 'throttled').finally(() => throttling.close());

    // Assess
    expect(answer).toMatchObject({ succeeded: 20, failed: 0 });
    // The SDK retries a throttled request with its backoff; the budget's timeout ends the wait first.
    expect(fallBacks(warn)).toHaveLength(1);
    expect(throttling.received.length).toBeGreaterThan(0);
  }, 30_000);
});
