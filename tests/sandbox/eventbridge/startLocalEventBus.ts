import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody } from '../feishu/readBody';
import { listenOnLoopback } from '../../support/listenOnLoopback';

/** An event as a rule's target receives it. */
export interface RuleEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** When it happened, to the second: the entry's `Time`, or when it was put. */
  time: string;
  region: string;
  resources: string[];
  /** The entry's Detail, parsed. */
  detail: unknown;
}

/** One PutEvents call as the stand-in answered it. */
export interface PutEventsCall {
  /** How many entries it held (0 when it held none or could not be read). */
  entries: number;
  /** The HTTP status answered. */
  status: number;
  /** How many entries it failed (FailedEntryCount). */
  failed: number;
}

/** A running EventBridge stand-in. */
export interface LocalEventBus {
  /** For the SDK's `endpoint` or AWS_ENDPOINT_URL_EVENTBRIDGE. */
  endpoint: string;
  /** Every event put, on any bus, in the order taken. */
  events: RuleEvent[];
  /** The events put on one bus, by name. */
  eventsOn(busName: string): RuleEvent[];
  /** Every PutEvents call, in order. */
  calls: PutEventsCall[];
  /** The next `count` entries, in whichever calls they come, fail with this ErrorCode. */
  failNextEntries(count: number, errorCode: string, errorMessage?: string): void;
  /** The next `times` calls are answered with this error: HTTP 500 InternalException or 400 ThrottlingException. */
  failNextCalls(error: 'InternalException' | 'ThrottlingException', times?: number): void;
  /** Forgets the events, the calls and the queued faults. */
  reset(): void;
  close(): Promise<void>;
}

export interface LocalEventBusOptions {
  /** The buses besides `default`, which always exists. */
  buses?: readonly string[];
  account?: string;
  region?: string;
  /** The port to listen on; a free one when unset. */
  port?: number;
  /** Told of each event as it is taken (`npm start` prints them). */
  onEvent?: (event: RuleEvent, busName: string) => void;
}

/** EventBridge's limits on a PutEvents request. */
const MAX_ENTRIES = 10;
const MAX_DETAIL_TYPE_LENGTH = 128;
const MAX_REQUEST_BYTES = 256 * 1024;

/** A PutEvents entry as the SDK's JSON 1.1 protocol sends it (Time in epoch seconds). */
interface SentEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
}

type EntryAnswer = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/**
 * Starts a local server that takes EventBridge's `PutEvents` as the AWS SDK v3 sends it (JSON 1.1
 * protocol: `POST /`, `X-Amz-Target: AWSEvents.PutEvents`), answers as EventBridge does (partial
 * failures per entry, in request order) and keeps each event in the shape a rule's target gets.
 * It checks entries as EventBridge does: Source, DetailType (at most 128 characters), Detail a
 * JSON object, the bus one that exists (`default`, or one of `buses`), 1 to 10 entries and
 * 256 KiB a request. Any SigV4 signature is accepted, unverified. Faults are queued: failed
 * entries with a given ErrorCode, or whole calls answered 500 or throttled.
 *
 * @example
 * const bus = await startLocalEventBus({ buses: ['images'] });
 * process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.endpoint;
 */
export async function startLocalEventBus(options: LocalEventBusOptions = {}): Promise<LocalEventBus> {
  const buses = new Set(['default', ...(options.buses ?? [])]);
  const account = options.account ?? '000000000000';
  const region = options.region ?? 'us-east-1';
  const events: { busName: string; event: RuleEvent }[] = [];
  const calls: PutEventsCall[] = [];
  let entryFaults: { errorCode: string; errorMessage: string }[] = [];
  let callFaults: ('InternalException' | 'ThrottlingException')[] = [];

  const putEntry = (entry: SentEntry): EntryAnswer => {
    const invalid = entryError(entry);
    if (invalid) return invalid;
    const busName = busNameOf(entry.EventBusName);
    if (!buses.has(busName))
      return { ErrorCode: 'NotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    const fault = entryFaults.shift();
    if (fault) return { ErrorCode: fault.errorCode, ErrorMessage: fault.errorMessage };
    const id = randomUUID();
    const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date();
    const event: RuleEvent = {
      version: '0',
      id,
      'detail-type': entry.DetailType as string,
      source: entry.Source as string,
      account,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : [],
      detail: JSON.parse(entry.Detail as string),
    };
    events.push({ busName, event });
    options.onEvent?.(event, busName);
    return { EventId: id };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request, MAX_REQUEST_BYTES * 2);
    const answer = (status: number, value: unknown, entries = 0, failed = 0): void => {
      calls.push({ entries, status, failed });
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
      response.end(JSON.stringify(value));
    };
    const refuse = (status: number, type: string, message: string) => answer(status, { __type: type, message });
    if (request.method !== 'POST' || request.headers['x-amz-target'] !== 'AWSEvents.PutEvents')
      return refuse(400, 'UnknownOperationException', 'Only PutEvents is served here.');
    if (!request.headers.authorization?.startsWith('AWS4-HMAC-SHA256 '))
      return refuse(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    const call = callFaults.shift();
    if (call === 'InternalException') return refuse(500, call, 'Internal service error (injected)');
    if (call === 'ThrottlingException') return refuse(400, call, 'Rate exceeded (injected)');
    if (body === undefined || body.length > MAX_REQUEST_BYTES)
      return refuse(413, 'ValidationException', 'Total size of the entries in the request is over the limit.');
    const entries = parsedEntries(body);
    if (entries === undefined || entries.length === 0 || entries.length > MAX_ENTRIES)
      return refuse(
        400,
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: ` +
          `Member must have length between 1 and ${MAX_ENTRIES}`,
      );
    const answered = entries.map(putEntry);
    const failed = answered.filter((entry) => 'ErrorCode' in entry).length;
    answer(200, { FailedEntryCount: failed, Entries: answered }, entries.length, failed);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: 'InternalException', message: String(error) }));
    });
  });
  const { url, close } = await listenOnLoopback(server, options.port);

  return {
    endpoint: url,
    get events() {
      return events.map(({ event }) => event);
    },
    eventsOn: (busName) => events.filter((kept) => kept.busName === busName).map(({ event }) => event),
    calls,
    failNextEntries(count, errorCode, errorMessage = `${errorCode} (injected)`) {
      for (let i = 0; i < count; i += 1) entryFaults.push({ errorCode, errorMessage });
    },
    failNextCalls(error, times = 1) {
      for (let i = 0; i < times; i += 1) callFaults.push(error);
    },
    reset() {
      events.length = 0;
      calls.length = 0;
      entryFaults = [];
      callFaults = [];
    },
    close,
  };
}

/** The entries of a request body, or undefined when it is not `{"Entries": [...]}`. */
function parsedEntries(body: Buffer): SentEntry[] | undefined {
  try {
    const input = JSON.parse(body.toString('utf8')) as { Entries?: unknown };
    return Array.isArray(input.Entries) ? (input.Entries as SentEntry[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The bus an entry names, by name or ARN; `default` when it names none. */
function busNameOf(name: unknown): string {
  if (typeof name !== 'string' || name === '') return 'default';
  return name.startsWith('arn:') ? name.slice(name.indexOf(':event-bus/') + ':event-bus/'.length) : name;
}

/** The failure EventBridge answers an entry missing what it needs, if it does. */
function entryError(entry: SentEntry): EntryAnswer | undefined {
  const invalid = (name: string, reason: string): EntryAnswer => ({
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${name} is not valid. Reason: ${reason}`,
  });
  if (typeof entry.Source !== 'string' || entry.Source === '')
    return invalid('Source', 'Source is a required argument.');
  if (typeof entry.DetailType !== 'string' || entry.DetailType === '')
    return invalid('DetailType', 'DetailType is a required argument.');
  if (entry.DetailType.length > MAX_DETAIL_TYPE_LENGTH)
    return invalid('DetailType', `DetailType is longer than ${MAX_DETAIL_TYPE_LENGTH} characters.`);
  if (typeof entry.Detail !== 'string') return invalid('Detail', 'Detail is a required argument.');
  try {
    const detail: unknown = JSON.parse(entry.Detail);
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) throw new Error('not an object');
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  return undefined;
}
