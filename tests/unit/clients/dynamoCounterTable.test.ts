import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoCounterTable } from '../../../lib/clients/dynamoCounterTable';
import { rejectionOf } from '../helpers/thrownBy';

const TABLE = 'feishu-image-mirror-dev-rate-limits';
const KEY = 'https://open.feishu.cn|cli_a1b2c3d4e5f6a7b8|im|60000|29401234';
const PACE = 'https://open.feishu.cn|cli_a1b2c3d4e5f6a7b8|im|pace';

describe('Function: dynamoCounterTable', () => {
  it('adds to the counters in one unconditional UpdateItem, sets the expiry and answers the new values', async () => {
    // Prepare
    const client = new DynamoDBClient({ region: 'ap-southeast-1' });
    const dynamo = mockClient(client);
    dynamo.on(UpdateItemCommand).resolves({ Attributes: { s17: { N: '13' }, m: { N: '412' } } });
    const signal = new AbortController().signal;

    // Act
    const used = await dynamoCounterTable(client, TABLE).add(
      { key: KEY, counts: { s17: 13, m: 13 } },
      1764594060,
      signal,
    );

    // Assess
    expect(used).toEqual({ s17: 13, m: 412 });
    const [call] = dynamo.commandCalls(UpdateItemCommand);
    expect(call?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: KEY } },
      UpdateExpression: 'ADD #c0 :c0, #c1 :c1 SET #ttl = :ttl',
      ExpressionAttributeNames: { '#c0': 's17', '#c1': 'm', '#ttl': 'expiresAt' },
      ExpressionAttributeValues: { ':c0': { N: '13' }, ':c1': { N: '13' }, ':ttl': { N: '1764594060' } },
      ReturnValues: 'UPDATED_NEW',
    });
    expect((call?.args as unknown[] | undefined)?.[1]).toEqual({ abortSignal: signal });
  });

  it("passes DynamoDB's own error on, for the budget to fall back", async () => {
    // Prepare
    const client = new DynamoDBClient({ region: 'ap-southeast-1' });
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
      name: 'ThrottlingException',
    });
    mockClient(client).on(UpdateItemCommand).rejects(throttled);

    // Act
    const error = await rejectionOf(
      dynamoCounterTable(client, TABLE).add({ key: KEY, counts: { s3: 2 } }, 1764594060, AbortSignal.timeout(1000)),
    );

    // Assess
    expect(error).toMatchObject({ name: 'ThrottlingException' });
  });
  it('moves a schedule on in one UpdateItem whose condition is that it stands at the time or later', async () => {
    // Prepare
    const client = new DynamoDBClient({ region: 'ap-southeast-1' });
    const dynamo = mockClient(client);
    dynamo.on(UpdateItemCommand).resolves({ Attributes: { t: { N: '1764594061220' } } });
    const signal = new AbortController().signal;

    // Act
    const next = await dynamoCounterTable(client, TABLE).move(
      { key: PACE, name: 't', by: 610, ifAtLeast: 1764594060000 },
      1764597662,
      signal,
    );

    // Assess
    expect(next).toBe(1764594061220);
    expect(dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: PACE } },
      UpdateExpression: 'SET #n = #n + :v, #ttl = :ttl',
      ConditionExpression: '#n >= :c',
      ExpressionAttributeNames: { '#n': 't', '#ttl': 'expiresAt' },
      ExpressionAttributeValues: { ':v': { N: '610' }, ':c': { N: '1764594060000' }, ':ttl': { N: '1764597662' } },
      ReturnValues: 'UPDATED_NEW',
    });
  });

  it('starts a schedule again only when it is absent or stands before the time', async () => {
    // Prepare
    const client = new DynamoDBClient({ region: 'ap-southeast-1' });
    const dynamo = mockClient(client);
    dynamo.on(UpdateItemCommand).resolves({ Attributes: { t: { N: '1764594060610' } } });

    // Act
    await dynamoCounterTable(client, TABLE).move(
      { key: PACE, name: 't', to: 1764594060610, ifBelow: 1764594060000 },
      1764597661,
      AbortSignal.timeout(1000),
    );

    // Assess
    expect(dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'SET #n = :v, #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(#n) OR #n < :c',
      ExpressionAttributeValues: {
        ':v': { N: '1764594060610' },
        ':c': { N: '1764594060000' },
        ':ttl': { N: '1764597661' },
      },
    });
  });

  it('answers undefined, not an error, when the condition of a move did not hold', async () => {
    // Prepare
    const client = new DynamoDBClient({ region: 'ap-southeast-1' });
    const refused = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    });
    mockClient(client).on(UpdateItemCommand).rejects(refused);

    // Act
    const next = await dynamoCounterTable(client, TABLE).move(
      { key: PACE, name: 't', by: 610, ifAtLeast: 1764594060000 },
      1764597662,
      AbortSignal.timeout(1000),
    );

    // Assess
    expect(next).toBeUndefined();
  });
});
