import type { APIGatewayProxyEvent } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const EVENTS_DIR = join(__dirname, '..', 'events');
const parsed = new Map<string, unknown>();

/**
 * A sample event from `tests/events/`, as a fresh deep copy: a test may change what it gets
 * without changing what the next test loads.
 *
 * @example
 * const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
 */
export function loadEvent<T = Record<string, unknown>>(relativePath: string): T {
  let event = parsed.get(relativePath);
  if (event === undefined) {
    event = JSON.parse(readFileSync(join(EVENTS_DIR, relativePath), 'utf8')) as unknown;
    parsed.set(relativePath, event);
  }
  return structuredClone(event) as T;
}

/**
 * The sample REST API event of the im function (`apigw-rest/im.json`), asking for `imageKey`.
 *
 * @example
 * const answer = await imImage(imRestEvent('err-234005'), lambdaContext()); // a 404
 */
export function imRestEvent(imageKey: string): APIGatewayProxyEvent {
  const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/im.json');
  event.pathParameters = { imageKey };
  event.path = `/im/images/${imageKey}`;
  event.resource = '/im/images/{imageKey}';
  return event;
}
