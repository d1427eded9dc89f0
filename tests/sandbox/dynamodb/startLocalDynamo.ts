import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { COUNTER_KEY_ATTRIBUTE } from '../../../lib/clients/dynamoCounterTable';
import { LOCAL_S3_CREDENTIALS } from '../s3/startLocalS3';

/** The table the local runs and the tests keep the shared rate budget in. */
export const LOCAL_RATE_LIMIT_TABLE = 'feishu-image-mirror-local-rate-limits';

/** A running in-process DynamoDB (dynalite) with the rate-limit table created. */
export interface LocalDynamo {
  endpoint: string;
  tableName: string;
  /** Requests it answered since it started (CreateTable included), for counting the budget's cost. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * Starts dynalite, an implementation of DynamoDB's API that runs inside this Node process with
 * its tables in memory, and creates the rate-limit table with the key the stack declares
 * (dynalite has no UpdateTimeToLive: the TTL lives in the template only). Any credentials pass.
 *
 * @example
 * const dynamo = await startLocalDynamo();
 * process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
 * process.env.RATE_LIMIT_TABLE = dynamo.tableName;
 */
export async function startLocalDynamo(options: { port?: number; tableName?: string } = {}): Promise<LocalDynamo> {
  const tableName = options.tableName ?? LOCAL_RATE_LIMIT_TABLE;
  const server = dynalite({ createTableMs: 0 });
  let requests = 0;
  server.on('request', () => {
    requests += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_S3_CREDENTIALS });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: COUNTER_KEY_ATTRIBUTE, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: COUNTER_KEY_ATTRIBUTE, KeyType: 'HASH' }],
      }),
    );
  } finally {
    client.destroy();
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    tableName,
    requests: () => requests,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
