import type { S3Client } from '@aws-sdk/client-s3';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clients, CounterTable, ParameterStore, RecordTable } from '../../../lib/clients/Clients';

function unexpected(what: string): never {
  throw new Error(`the code under test called ${what}, which this test did not expect`);
}

/**
 * The clients a unit test hands to the code under test: the parts it gives, and for the
 * others a client that fails the test when called.
 *
 * @example
 * const clients = testClients({ s3: fakeS3.client, feishuHttp: feishu.http });
 */
export function testClients(
  parts: {
    s3?: S3Client;
    feishuHttp?: Clients['feishuHttp'];
    parameters?: ParameterStore;
    counters?: CounterTable;
    records?: RecordTable;
    sqs?: SQSClient;
    eventBridge?: EventBridgeClient;
  } = {},
): Clients {
  return {
    s3: () => parts.s3 ?? unexpected('S3'),
    parameters: async () => parts.parameters ?? unexpected('SSM'),
    counters: () => parts.counters ?? unexpected('DynamoDB'),
    records: () => parts.records ?? unexpected('DynamoDB'),
    sqs: async () => parts.sqs ?? unexpected('SQS'),
    eventBridge: async () => parts.eventBridge ?? unexpected('EventBridge'),
    feishuHttp: parts.feishuHttp ?? (() => unexpected('Feishu')),
  };
}
