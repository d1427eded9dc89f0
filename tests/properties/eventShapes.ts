import type { APIGatewayProxyResult } from 'aws-lambda';
import type { EndpointDescription } from '../../lib/endpoints';
import type { MirrorHandler } from '../../lib/handler/createHandler';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';

/** The fields of one request: ids and options by name, of any value (bad ones included). */
export type Fields = Record<string, unknown>;

/** How a refusal came back, whatever the event shape: the error code and its message. */
export interface Refusal {
  code: string;
  message: string;
}

/**
 * One event shape a function accepts, for the property tests: how fields travel in it and how
 * its refusal comes back. A new shape (a batch, an SQS record, an EventBridge event, an S3
 * manifest) is one more entry in `EVENT_SHAPES`.
 */
export interface EventShape {
  name: string;
  /** True when values keep their JSON type (direct payloads); false when they travel as text (paths, query strings). */
  typed: boolean;
  /** The event carrying these ids and options, as the source would send it. */
  event(endpoint: EndpointDescription, ids: Fields, options: Fields): unknown;
  /** For typed shapes: the event carrying any JSON value where the payload goes (a malformed body, say). */
  carry?(payload: unknown): unknown;
  /** Runs the handler on the event and returns its refusal, or undefined when it did not refuse. */
  refusal(handler: MirrorHandler, event: unknown): Promise<Refusal | undefined>;
}

/** A direct invocation throws the named error. */
async function thrownRefusal(handler: MirrorHandler, event: unknown): Promise<Refusal | undefined> {
  try {
    await handler(event, lambdaContext());
    return undefined;
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
}

/** A batch answers each item; the first item's error, its `item 1: ` label taken off. */
async function firstItemRefusal(handler: MirrorHandler, event: unknown): Promise<Refusal | undefined> {
  const answer = (await handler(event, lambdaContext())) as { results: { error?: Refusal }[] };
  const error = answer.results[0]?.error;
  if (!error) return undefined;
  return {
    code: error.code,
    message: error.message.startsWith('item 1: ')
      ? error.message.slice('item 1: '.length)
      : `(no item label) ${error.message}`,
  };
}

/** An HTTP event gets a 4xx/5xx answer whose body is the error. */
async function answeredRefusal(handler: MirrorHandler, event: unknown): Promise<Refusal | undefined> {
  const answer = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  if (answer.statusCode < 400) return undefined;
  const { error } = JSON.parse(answer.body) as { error: Refusal };
  return { code: error.code, message: error.message };
}

/** The endpoint's route with each id percent-encoded into its own path segment. */
export function pathOf(
  endpoint: EndpointDescription,
  ids: Fields,
  encode: (value: string) => string = encodeURIComponent,
): string {
  return endpoint.route.replace(/\{(\w+)\}/g, (_, name: string) => encode(String(ids[name] ?? '')));
}

/** A batch of one item, without batch-wide options (so the item's own are the ones read). */
function batchOf(item: unknown): unknown {
  return { items: [item] };
}

const text = (fields: Fields): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));

/** Every event shape the functions accept today, built from the fixtures in tests/events/. */
export const EVENT_SHAPES: readonly EventShape[] = [
  {
    name: 'direct payload',
    typed: true,
    event: (_, ids, options) => ({ ...ids, ...options }),
    carry: (payload) => payload,
    refusal: thrownRefusal,
  },
  {
    name: 'batch item',
    typed: true,
    event: (_, ids, options) => batchOf({ ...ids, ...options }),
    carry: (payload) => batchOf(payload),
    refusal: firstItemRefusal,
  },
  {
    name: 'EventBridge rule detail',
    typed: true,
    event: (_, ids, options) => ({
      ...loadEvent<Record<string, unknown>>('eventbridge/rule-detail-payload.json'),
      detail: { ...ids, ...options },
    }),
    carry: (payload) => ({
      ...loadEvent<Record<string, unknown>>('eventbridge/rule-detail-payload.json'),
      detail: payload,
    }),
    refusal: thrownRefusal,
  },
  {
    name: 'API Gateway REST',
    typed: false,
    event(endpoint, ids, options) {
      // biome-ignore lint/suspicious/noExplicitAny: the test writes any shape into the fixture, bad ones included
      const event = loadEvent<Record<string, any>>('apigw-rest/im.json');
      const path = pathOf(endpoint, ids);
      const query = text(options);
      Object.assign(event, {
        resource: endpoint.route,
        path,
        pathParameters: text(ids),
        queryStringParameters: Object.keys(query).length ? query : null,
        multiValueQueryStringParameters: Object.keys(query).length
          ? Object.fromEntries(Object.entries(query).map(([n, v]) => [n, [v]]))
          : null,
      });
      Object.assign(event.requestContext, { path, resourcePath: endpoint.route });
      return event;
    },
    refusal: answeredRefusal,
  },
  {
    name: 'HTTP API',
    typed: false,
    event(endpoint, ids, options) {
      // biome-ignore lint/suspicious/noExplicitAny: the test writes any shape into the fixture, bad ones included
      const event = loadEvent<Record<string, any>>('apigw-http/baike.json');
      const path = pathOf(endpoint, ids);
      const query = text(options);
      Object.assign(event, {
        routeKey: `GET ${endpoint.route}`,
        rawPath: path,
        pathParameters: text(ids),
        rawQueryString: new URLSearchParams(query).toString(),
        queryStringParameters: Object.keys(query).length ? query : undefined,
      });
      Object.assign(event.requestContext, { routeKey: `GET ${endpoint.route}` });
      event.requestContext.http.path = path;
      return event;
    },
    refusal: answeredRefusal,
  },
  {
    name: 'Function URL',
    typed: false,
    event(endpoint, ids, options) {
      // biome-ignore lint/suspicious/noExplicitAny: the test writes any shape into the fixture, bad ones included
      const event = loadEvent<Record<string, any>>('function-url/im.json');
      const path = pathOf(endpoint, ids);
      const query = text(options);
      Object.assign(event, {
        rawPath: path,
        rawQueryString: new URLSearchParams(query).toString(),
        queryStringParameters: Object.keys(query).length ? query : undefined,
      });
      event.requestContext.http.path = path;
      return event;
    },
    refusal: answeredRefusal,
  },
];
