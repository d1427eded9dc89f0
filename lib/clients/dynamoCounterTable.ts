import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { CounterTable } from './Clients';

/** The table's key attribute (a string) and its TTL attribute (epoch seconds), as the stack declares them. */
export const COUNTER_KEY_ATTRIBUTE = 'pk';
export const COUNTER_TTL_ATTRIBUTE = 'expiresAt';

/**
 * Counters in a DynamoDB table through `@aws-sdk/client-dynamodb`, with the SDK's defaults: its
 * credential chain, region, endpoint (`AWS_ENDPOINT_URL_DYNAMODB`) and standard retries. Each
 * count is one unconditional UpdateItem (`ADD`), atomic on DynamoDB's side, so concurrent
 * writers from any number of execution environments never lose an increment.
 *
 * @example
 * const counters = dynamoCounterTable(new DynamoDBClient({}), 'feishu-image-mirror-prod-rate-limits');
 * const used = await counters.add({ key: 'app|im|day|20423', counts: { d: 5 } }, 1764590460, signal);
 * const next = await counters.move({ key: 'app|im|pace', name: 't', by: 610, ifAtLeast: now }, 1764590460, signal);
 */
export function dynamoCounterTable(client: DynamoDBClient, tableName: string): CounterTable {
  return {
    async add({ key, counts }, expiresAt, signal) {
      const names = Object.keys(counts);
      const answer = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { [COUNTER_KEY_ATTRIBUTE]: { S: key } },
          UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')} SET #ttl = :ttl`,
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
            '#ttl': COUNTER_TTL_ATTRIBUTE,
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, i) => [`:c${i}`, { N: String(counts[name]) }])),
            ':ttl': { N: String(expiresAt) },
          },
          ReturnValues: 'UPDATED_NEW',
        }),
        { abortSignal: signal },
      );
      return Object.fromEntries(names.map((name) => [name, Number(answer.Attributes?.[name]?.N ?? Number.NaN)]));
    },
    async move(move, expiresAt, signal) {
      const append = 'by' in move;
      try {
        const answer = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { [COUNTER_KEY_ATTRIBUTE]: { S: move.key } },
            UpdateExpression: `SET #n = ${append ? '#n + :v' : ':v'}, #ttl = :ttl`,
            ConditionExpression: append ? '#n >= :c' : 'attribute_not_exists(#n) OR #n < :c',
            ExpressionAttributeNames: { '#n': move.name, '#ttl': COUNTER_TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ':v': { N: String(append ? move.by : move.to) },
              ':c': { N: String(append ? move.ifAtLeast : move.ifBelow) },
              ':ttl': { N: String(expiresAt) },
            },
            ReturnValues: 'UPDATED_NEW',
          }),
          { abortSignal: signal },
        );
        return Number(answer.Attributes?.[move.name]?.N ?? Number.NaN);
      } catch (error) {
        // The condition did not hold: an answer, not a failure of the table.
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return undefined;
        throw error;
      }
    },
  };
}

/** The functions' DynamoDB client: the SDK's defaults, nothing else. */
export function buildDynamoClient(): DynamoDBClient {
  return new DynamoDBClient({});
}
