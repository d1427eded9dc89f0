import { feishuHttp } from './feishuHttp';
import { buildS3Client } from './buildS3Client';
import type { Clients, CounterTable, ParameterStore, RecordTable } from './Clients';

let clients: Clients | undefined;

/**
 * The execution environment's own clients, each built at its first use and kept for the
 * container's life, so warm invocations reuse their connections and caches. The SSM client is
 * built only when a `*_PARAMETER` setting is first read, the DynamoDB client only when
 * `RATE_LIMIT_TABLE` names the shared rate budget, and their code is imported then: the bundles
 * are ES modules split into chunks (esbuild.config.js), so a cold start never loads either
 * (bench/README.md, "Node 24").
 *
 * @example
 * export const handler = createHandler(im); // uses containerClients()
 */
export function containerClients(): Clients {
  if (clients) return clients;
  const s3 = new Map<boolean, ReturnType<typeof buildS3Client>>();
  let parameters: Promise<ParameterStore> | undefined;
  let dynamo: ReturnType<typeof loadDynamo> | undefined;
  const tables = new Map<string, Promise<{ counters: CounterTable; records: RecordTable }>>();
  // A table's code and client, imported and built at its first request.
  const tableOf = (tableName: string) => {
    let table = tables.get(tableName);
    if (!table) {
      dynamo ??= loadDynamo();
      table = dynamo.then(({ client, dynamoCounterTable, dynamoRecordTable }) => ({
        counters: dynamoCounterTable(client, tableName),
        records: dynamoRecordTable(client, tableName),
      }));
      tables.set(tableName, table);
    }
    return table;
  };
  let sqs: ReturnType<Clients['sqs']> | undefined;
  let eventBridge: ReturnType<Clients['eventBridge']> | undefined;
  clients = {
    s3(forcePathStyle) {
      let client = s3.get(forcePathStyle);
      if (!client) {
        client = buildS3Client(forcePathStyle);
        s3.set(forcePathStyle, client);
      }
      return client;
    },
    parameters() {
      parameters ??= import('./ssmParameterStore').then(({ ssmParameterStore }) => ssmParameterStore());
      return parameters;
    },
    counters(tableName) {
      const load = () => tableOf(tableName).then((table) => table.counters);
      return {
        add: async (...args) => (await load()).add(...args),
        move: async (...args) => (await load()).move(...args),
      };
    },
    records(tableName) {
      const load = () => tableOf(tableName).then((table) => table.records);
      return {
        claim: async (...args) => (await load()).claim(...args),
        settle: async (...args) => (await load()).settle(...args),
        release: async (...args) => (await load()).release(...args),
      };
    },
    sqs() {
      // The endpoint resolved from the region (or AWS_ENDPOINT_URL_SQS), not the queue URL's host:
      // the same in AWS, and a local queue server's URLs name a host that does not resolve.
      sqs ??= import('@aws-sdk/client-sqs').then(({ SQSClient }) => new SQSClient({ useQueueUrlAsEndpoint: false }));
      return sqs;
    },
    eventBridge() {
      eventBridge ??= import('@aws-sdk/client-eventbridge').then(({ EventBridgeClient }) => new EventBridgeClient({}));
      return eventBridge;
    },
    feishuHttp,
  };
  return clients;
}

/** The DynamoDB tables' code, imported at the first request, and the one client every table shares. */
async function loadDynamo() {
  const [{ buildDynamoClient, dynamoCounterTable }, { dynamoRecordTable }] = await Promise.all([
    import('./dynamoCounterTable'),
    import('./dynamoRecordTable'),
  ]);
  return { client: buildDynamoClient(), dynamoCounterTable, dynamoRecordTable };
}
