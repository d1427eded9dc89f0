import { loadEvent } from '../../support/loadEvent';

/** A recorded Feishu answer as stored under tests/events/feishu/. */
interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A recorded Feishu answer in the shape `translateFeishuFailure` reads. */
export interface FeishuAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Loads `tests/events/feishu/<name>.json`, letting a test change the status, headers or body
 * (as JSON values) before it is turned into text and Headers.
 */
export function loadFeishuAnswer(
  name: string,
  change: (recorded: RecordedAnswer) => void = () => undefined,
): FeishuAnswer {
  const recorded = loadEvent<RecordedAnswer>(`feishu/${name}.json`);
  change(recorded);
  return {
    status: recorded.status,
    headers: new Headers(recorded.headers),
    body: typeof recorded.body === 'string' ? recorded.body : JSON.stringify(recorded.body),
  };
}

/** The same recorded answer as a fetch Response. */
export function feishuResponse(name: string, change?: (recorded: RecordedAnswer) => void): Response {
  const answer = loadFeishuAnswer(name, change);
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** A Feishu error answer with the usual JSON body, for codes no recording covers. */
export function feishuError(
  status: number,
  code: number,
  msg = 'error',
  headers: Record<string, string> = {},
): Response {
  const logId = '20261121081542ABCDEF0123456789ABCD';
  return new Response(JSON.stringify({ code, msg, error: { log_id: logId } }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-tt-logid': logId, ...headers },
  });
}
