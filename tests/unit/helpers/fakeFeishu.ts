import type { Clients } from '../../../lib/clients/Clients';
import { testClients } from './testClients';

/** One request the code under test sent to (fake) Feishu. */
export interface FeishuCall {
  url: string;
  method: string;
  headers: Headers;
  body?: string;
}

/** What fake Feishu answers: a response, or a thrown error (a network failure). */
export type Reply = (call: FeishuCall, signal?: AbortSignal) => Response | Promise<Response>;

export const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

/**
 * A fake Feishu for the functions' Feishu client (`clients.feishuHttp`), answering with fetch
 * `Response`s, of which the client's answers are a part: the token endpoint issues `t-…`
 * tokens unless told otherwise, and other paths answer from a queue of replies (the last one
 * repeats). Every request is recorded.
 */
export class FakeFeishu {
  readonly calls: FeishuCall[] = [];
  private tokenReplies: Reply[] = [];
  private imageReplies: Reply[] = [];
  private issued = 0;

  /** The fake, in the shape of the functions' Feishu client. */
  readonly http: Clients['feishuHttp'] = async (url, init) => {
    const call: FeishuCall = { url, method: init.method ?? 'GET', headers: new Headers(init.headers), body: init.body };
    this.calls.push(call);
    const isToken = new URL(call.url).pathname.endsWith(TOKEN_PATH);
    const queue = isToken ? this.tokenReplies : this.imageReplies;
    const reply = queue.length > 1 ? queue.shift()! : queue[0];
    if (reply) return reply(call, init.signal);
    if (isToken) return this.issueToken();
    throw new Error(`fake Feishu has no reply for ${call.url}`);
  };

  /** Clients whose Feishu is this fake, with the other parts given (S3, SSM). */
  clients(parts: Omit<Parameters<typeof testClients>[0] & object, 'feishuHttp'> = {}): Clients {
    return testClients({ ...parts, feishuHttp: this.http });
  }

  /** Answers from the token endpoint, in order; the last one repeats. */
  onToken(...replies: Reply[]): this {
    this.tokenReplies = replies;
    return this;
  }

  /** Answers from every other endpoint, in order; the last one repeats. */
  onImage(...replies: Reply[]): this {
    this.imageReplies = replies;
    return this;
  }

  tokenCalls(): FeishuCall[] {
    return this.calls.filter((call) => new URL(call.url).pathname.endsWith(TOKEN_PATH));
  }

  imageCalls(): FeishuCall[] {
    return this.calls.filter((call) => !new URL(call.url).pathname.endsWith(TOKEN_PATH));
  }

  /** The token the fake issued `n`-th (1-based). */
  static token(n: number): string {
    return `t-g1044qeGEDXTB6NDJOGV4JQX6NDA2QOQSTIC${String(n).padStart(4, '0')}`;
  }

  private issueToken(): Response {
    this.issued += 1;
    return tokenAnswer(FakeFeishu.token(this.issued));
  }
}

/** A successful token answer. */
export function tokenAnswer(token: string, expire = 7200): Response {
  return new Response(JSON.stringify({ code: 0, msg: 'ok', tenant_access_token: token, expire }), {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-tt-logid': '20261121081542C8F1A2B3C4D5E6F7A8B9' },
  });
}

/** An image answer as Feishu sends it. */
export function imageAnswer(
  bytes: Uint8Array,
  contentType: string | undefined = 'image/png',
  headers: Record<string, string> = {},
): Response {
  return new Response(bytes, {
    status: 200,
    headers: {
      ...(contentType === undefined ? {} : { 'content-type': contentType }),
      'content-length': String(bytes.byteLength),
      'x-tt-logid': '20261121081542F0E1D2C3B4A5968778695A',
      ...headers,
    },
  });
}

/** A network failure as Node's HTTP client reports it. */
export function networkFailure(): never {
  throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
  });
}

/** A reply that never comes: the request hangs until its signal aborts. */
export function hang(_: FeishuCall, signal?: AbortSignal): Promise<Response> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener(
      'abort',
      () => reject(signal.reason ?? new DOMException('This operation was aborted', 'AbortError')),
      { once: true },
    );
  });
}
