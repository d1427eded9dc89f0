import { feishuHttp } from './feishuHttp';
import { buildS3Client } from './buildS3Client';
import type { Clients, CounterTable, ParameterStore } from './Clients';

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
  const counters = new Map<string, CounterTable>();
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
      let table = counters.get(tableName);
      if (!table) {
        let built: Promise<CounterTable> | undefined;
        // The table's code and client, imported and built at its first request.
        const load = (): Promise<CounterTable> => {
          dynamo ??= loadDynamo();
          built ??= dynamo.then(({ client, dynamoCounterTable }) => dynamoCounterTable(client, tableName));
          return built;
        };
        table = {
          add: async (update, expiresAt, signal) => (await load()).add(update, expiresAt, signal),
          move: async (move, expiresAt, signal) => (await load()).move(move, expiresAt, signal),
        };
        counters.set(tableName, table);
      }
      return table;
    },
    feishuHttp,
  };
  return clients;
}

/** The DynamoDB counters' code, imported at the first count, and the one client every table shares. */
async function loadDynamo() {
  const { buildDynamoClient, dynamoCounterTable } = await import('./dynamoCounterTable');
  return { client: buildDynamoClient(), dynamoCounterTable };
}
