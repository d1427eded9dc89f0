import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DynamoDB, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RateLimiterDynamo, type RateLimiterRes } from 'rate-limiter-flexible';
import { dynamoCounterTable } from '../../lib/clients/dynamoCounterTable';
import { SharedRateBudget } from '../../lib/feishu/SharedRateBudget';
import { Deadline } from '../../lib/runtime/Deadline';
import { startLocalDynamo, type LocalDynamo } from '../../tests/sandbox/dynamodb/startLocalDynamo';
import { LOCAL_S3_CREDENTIALS } from '../../tests/sandbox/s3/startLocalS3';

/** Sends `calls` calls at once and answers when each was let go. */
type Sender = (calls: number) => Promise<number[]>;

/** What one limiter let into Feishu's windows under the same calls. */
export interface WindowMeasurement {
  limit: number;
  /** The most calls let go in one whole second of the clock, as Feishu counts them. */
  busiestAlignedSecond: number;
  /** What the limiter's table counted for its window, rejected calls included (rate-limiter-flexible). */
  countedPoints?: number;
}

/** The table's client as rate-limiter-flexible takes it (the aggregated `DynamoDB`, not the bare client). */
const dynamoFor = (local: LocalDynamo) =>
  new DynamoDB({ endpoint: local.endpoint, region: 'us-east-1', credentials: LOCAL_S3_CREDENTIALS });

/**
 * Waits for a whole second of the clock, then lets go one call half a second in, `limit - 1`
 * calls at 1.4 s, and `limit` calls at 1.55 s: what a fleet of functions does when one image
 * arrives alone, then a batch. A window that starts at its first call, as rate-limiter-flexible's
 * does (0.5 s to 1.5 s, then 1.55 s to 2.55 s), lets all of them go, `2 × limit - 1` calls in
 * Feishu's second from 1 s to 2 s. Windows aligned to the clock let `limit` go in it.
 */
async function trickleThenBurst(send: Sender, limit: number): Promise<number> {
  const start = Math.ceil(Date.now() / 1000) * 1000;
  const at = async (ms: number, calls: number): Promise<number[]> => {
    await sleep(Math.max(0, start + ms - Date.now()));
    return send(calls);
  };
  const times = (await Promise.all([at(500, 1), at(1400, limit - 1), at(1550, limit)])).flat();
  const perSecond = new Map<number, number>();
  for (const time of times) perSecond.set(Math.floor(time / 1000), (perSecond.get(Math.floor(time / 1000)) ?? 0) + 1);
  return Math.max(...perSecond.values());
}

/**
 * rate-limiter-flexible's RateLimiterDynamo (`limit` points per second) under trickleThenBurst, each
 * rejected call retried after the `msBeforeNext` it was told, and then, within one of its
 * windows, `limit` calls more than it allows, to read what its item counted.
 */
export async function measureRateLimiterDynamo(limit: number): Promise<WindowMeasurement> {
  const local = await startLocalDynamo();
  const client = dynamoFor(local);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: 'node-rate-limiter-flexible',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'key', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
      }),
    );
    // The table exists and dynalite has no TTL API: the library is told both are done.
    const limiter = new RateLimiterDynamo({
      storeClient: client,
      tableCreated: true,
      ttlSet: true,
      points: limit,
      duration: 1,
    });
    const sendOne = async (): Promise<number> => {
      for (;;) {
        try {
          await limiter.consume('feishu-im');
          return Date.now();
        } catch (rejected) {
          await sleep((rejected as RateLimiterRes).msBeforeNext + 1);
        }
      }
    };
    const busiestAlignedSecond = await trickleThenBurst(
      (calls) => Promise.all(Array.from({ length: calls }, sendOne)),
      limit,
    );
    // Twice the limit at once: the rejected half still counts on the item.
    await Promise.all(
      Array.from({ length: 2 * limit }, () => limiter.consume('feishu-rejected').catch(() => undefined)),
    );
    const counted = await limiter.get('feishu-rejected');
    return { limit, busiestAlignedSecond, countedPoints: counted?.consumedPoints };
  } finally {
    client.destroy();
    await local.close();
  }
}

/** The project's own SharedRateBudget under the same trickleThenBurst, on the same kind of table. */
export async function measureSharedRateBudget(limit: number): Promise<WindowMeasurement> {
  const local = await startLocalDynamo();
  const client = new DynamoDBClient({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_S3_CREDENTIALS,
  });
  try {
    const endpoint = new SharedRateBudget(dynamoCounterTable(client, local.tableName), 'bench-app').endpoint('im', {
      perSecond: limit,
    });
    const deadline = new Deadline(30_000);
    const busiestAlignedSecond = await trickleThenBurst(
      (calls) =>
        Promise.all(Array.from({ length: calls }, () => endpoint.take(deadline, 'im image').then(() => Date.now()))),
      limit,
    );
    return { limit, busiestAlignedSecond };
  } finally {
    client.destroy();
    await local.close();
  }
}
