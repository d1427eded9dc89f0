import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { RecordTable } from './Clients';
import { COUNTER_KEY_ATTRIBUTE, COUNTER_TTL_ATTRIBUTE } from './dynamoCounterTable';

/** Who holds a claim; absent once the work is settled. */
const HOLDER_ATTRIBUTE = 'holder';

/**
 * Records in the rate budget's DynamoDB table (same key and TTL attributes; their keys start
 * with their own prefix). A claim is one conditional PutItem: written when no item is there or
 * the one there has expired, since DynamoDB's TTL may drop an expired item only days later.
 *
 * @example
 * const records = dynamoRecordTable(client, 'feishu-image-mirror-prod-rate-limits');
 * if (await records.claim('event|cli_1|message|om_1', requestId, now + 10, now, signal)) { … }
 */
export function dynamoRecordTable(client: DynamoDBClient, tableName: string): RecordTable {
  const key = (name: string) => ({ [COUNTER_KEY_ATTRIBUTE]: { S: name } });
  return {
    async claim(name, holder, expiresAt, now, signal) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...key(name),
              [HOLDER_ATTRIBUTE]: { S: holder },
              [COUNTER_TTL_ATTRIBUTE]: { N: String(expiresAt) },
            },
            ConditionExpression: 'attribute_not_exists(#k) OR #ttl <= :now',
            ExpressionAttributeNames: { '#k': COUNTER_KEY_ATTRIBUTE, '#ttl': COUNTER_TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': { N: String(now) } },
          }),
          { abortSignal: signal },
        );
        return true;
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
    async settle(name, expiresAt, signal) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...key(name), [COUNTER_TTL_ATTRIBUTE]: { N: String(expiresAt) } },
        }),
        { abortSignal: signal },
      );
    },
    async release(name, holder, signal) {
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: key(name),
            ConditionExpression: '#h = :h',
            ExpressionAttributeNames: { '#h': HOLDER_ATTRIBUTE },
            ExpressionAttributeValues: { ':h': { S: holder } },
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        // Another holder's claim, or a settled record: not ours to remove.
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      }
    },
  };
}
