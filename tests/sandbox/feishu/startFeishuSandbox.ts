import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { answerChatPost, chatMessagesPattern } from './answerChatPost';
import { answerDocumentBlocks } from './answerDocumentBlocks';
import { answerDownload } from './answerDownload';
import { answerFault } from './answerFault';
import { answerListing, type ListingContext } from './answerListing';
import { answerTokenRequest } from './answerTokenRequest';
import { tokenKindOf } from './authorizeDownload';
import { delay } from './delay';
import { defaultDriveMediaDailyQuota } from './endpoints';
import { FaultQueue } from './FaultQueue';
import { sandboxEventApp } from './feishuEvents';
import { RateLimitCounter } from './RateLimitCounter';
import { matchRoute, type Route } from './matchRoute';
import { newLogId } from './newLogId';
import { readBody } from './readBody';
import { errorReply, jsonReply, notFoundReply, type Reply } from './replies';
import { SandboxEvents } from './SandboxEvents';
import { feishuRetryDelaysMs } from './sendEvents';
import { sendReply, type Truncation } from './sendReply';
import { ServedDocuments } from './servedDocuments';
import { ServedSpaces } from './servedSpaces';
import { TokenStore } from './TokenStore';
import type { Endpoint, FaultKind, FeishuSandbox, FeishuSandboxOptions, RecordedRequest } from './types';

type Socket = IncomingMessage['socket'];

/** A token request body larger than this is malformed; real ones are under 200 bytes. */
const maxTokenBodyBytes = 64 * 1024;

const defaults = {
  port: 0,
  appId: 'cli_sandbox0000000',
  appSecret: 'sandbox-app-secret-0000',
  helpdeskId: '7000000000000000001',
  helpdeskToken: 'sandbox-helpdesk-token-0000',
  tokenExpireSeconds: 7200,
  rateLimits: true,
  rateLimitCounting: 'aligned',
  latencyMs: 0,
  driveMediaDailyQuota: defaultDriveMediaDailyQuota,
  encryptKey: 'sandbox-encrypt-key-0000',
  verificationToken: sandboxEventApp.verificationToken,
  eventRetryDelaysMs: feishuRetryDelaysMs,
} satisfies Required<Omit<FeishuSandboxOptions, 'eventUrl'>>;

function isTruncation(fault: FaultKind | undefined): fault is Truncation {
  return fault?.type === 'dropMidBody' || fault?.type === 'shortBody';
}

/**
 * Starts a local stand-in for the Feishu Open Platform on 127.0.0.1: the tenant token endpoint,
 * the image downloads, message resources, document media, the blocks of docx documents and the
 * listings of wiki spaces and Drive folders (servedSpaces.ts), with
 * the platform's error codes, headers, rate limits and daily quota, ids that choose the answer
 * (see planContent.ts, fileNames.ts, servedDocuments.ts) and faults queued by the test. It also
 * plays Feishu's part towards the app: it sends events to the app's event URL, encrypted, signed,
 * retried and redelivered (sendEvents.ts), such as the event of a message posted in a chat
 * (postToChat, or `POST /sandbox/chats/{chatId}/messages`).
 *
 * @example
 * const feishu = await startFeishuSandbox({ rateLimits: false });
 * const answer = await fetch(`${feishu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
 *   method: 'POST',
 *   body: JSON.stringify({ app_id: feishu.appId, app_secret: feishu.appSecret }),
 * });
 * await feishu.close();
 */
export async function startFeishuSandbox(options: FeishuSandboxOptions = {}): Promise<FeishuSandbox> {
  const settings = { ...defaults, ...options };
  const tokens = new TokenStore(settings.tokenExpireSeconds);
  const limiter = new RateLimitCounter(settings.rateLimitCounting);
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  const documents = new ServedDocuments();
  const spaces = new ServedSpaces();
  const context: ListingContext = {
    tokens,
    limiter,
    rateLimits: settings.rateLimits,
    dailyQuota: { limit: settings.driveMediaDailyQuota },
    helpdesk: { id: settings.helpdeskId, token: settings.helpdeskToken },
    closing: closing.signal,
    documents,
    spaces,
  };
  const events = new SandboxEvents({
    app: { appId: settings.appId, verificationToken: settings.verificationToken, tenantKey: sandboxEventApp.tenantKey },
    encryptKey: settings.encryptKey,
    retryDelaysMs: settings.eventRetryDelaysMs,
    eventUrl: settings.eventUrl,
  });

  async function normalReply(
    request: IncomingMessage,
    route: Route,
    query: URLSearchParams,
    logId: string,
  ): Promise<Reply | undefined> {
    switch (route.endpoint) {
      case 'unknown':
        return notFoundReply();
      case 'token': {
        const body = await readBody(request, maxTokenBodyBytes);
        if (body === undefined) return errorReply(400, 10003, 'invalid param', logId);
        return answerTokenRequest(body, settings, tokens, Date.now(), logId);
      }
      case 'docxBlocks':
        return answerDocumentBlocks(request.headers, route.description, route.ids[0] ?? '', query, context, logId);
      case 'wikiNodes':
      case 'driveFiles':
        return answerListing(request.headers, route.description, route.ids, query, context, logId);
      default:
        return answerDownload(request.headers, route.description, route.ids, query, context, logId);
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // The sandbox's own route plays a user of a chat, not Feishu's API: not recorded, never faulted.
    const chat = chatMessagesPattern.exec(url.pathname);
    if (chat !== null) {
      const reply =
        request.method === 'POST'
          ? await answerChatPost(request, chat[1] ?? '', events.eventUrl, (post) => events.postToChat(post))
          : jsonReply(405, { error: 'POST a message to this chat' });
      await sendReply(response, reply, newLogId());
      return;
    }
    const route = matchRoute(request.method ?? 'GET', url.pathname);
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      url: request.url ?? '/',
      query: Object.fromEntries(url.searchParams),
      endpoint: route.endpoint,
      status: 0,
      at: Date.now(),
      tokenKind: tokenKindOf(request.headers, tokens, Date.now()),
      logId: '',
      bytesSent: 0,
    };
    requests.push(record);
    // Taken on arrival, so concurrent requests meet the faults in the order they came in.
    const fault = faults.take(route.endpoint);

    if (settings.latencyMs > 0 && !(await delay(settings.latencyMs, closing.signal))) return;
    if (fault?.type === 'down') {
      request.socket.destroy();
      return;
    }
    // Left unanswered on purpose; close() destroys the socket.
    if (fault?.type === 'hang') return;

    const rawLogId =
      fault?.type === 'raw'
        ? Object.entries(fault.headers ?? {}).find(([name]) => name.toLowerCase() === 'x-tt-logid')?.[1]
        : undefined;
    const logId = rawLogId ?? newLogId();
    let reply: Reply | undefined;
    if (
      fault?.type === 'status' ||
      fault?.type === 'rateLimit' ||
      fault?.type === 'tokenError' ||
      fault?.type === 'raw' ||
      fault?.type === 'echo'
    ) {
      reply = answerFault(fault, 'description' in route ? route.description : undefined, logId, request.headers);
    } else {
      reply = await normalReply(request, route, url.searchParams, logId);
    }
    if (reply === undefined || closing.signal.aborted) return;
    record.status = reply.status;
    record.logId = logId;
    record.bytesSent = await sendReply(response, reply, logId, isTruncation(fault) ? fault : undefined);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in the sandbox must fail the caller's test loudly, not look like a Feishu answer.
      if (!response.headersSent && !response.destroyed) {
        const logId = newLogId();
        void sendReply(response, errorReply(500, 1, `feishu sandbox bug: ${String(error)}`, logId), logId);
      } else {
        response.destroy();
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the Feishu sandbox is not listening on TCP');

  return {
    url: `http://127.0.0.1:${address.port}`,
    appId: settings.appId,
    appSecret: settings.appSecret,
    helpdeskId: settings.helpdeskId,
    helpdeskToken: settings.helpdeskToken,
    encryptKey: settings.encryptKey,
    verificationToken: settings.verificationToken,
    get eventUrl(): string | undefined {
      return events.eventUrl;
    },
    eventDeliveries: events.deliveries,
    requests,
    count(endpoint?: Endpoint): number {
      return endpoint === undefined ? requests.length : requests.filter((r) => r.endpoint === endpoint).length;
    },
    reset(): void {
      // Emptied in place: a test may hold on to `sandbox.requests`.
      requests.length = 0;
      faults.clear();
      tokens.reset();
      limiter.reset();
      documents.forgetPageTokens();
      events.forget();
    },
    setEventUrl(url: string): void {
      events.setEventUrl(url);
    },
    sendEvent(event, options) {
      return events.send(event, options);
    },
    postToChat(post) {
      return events.postToChat(post);
    },
    verifyEventUrl(challenge) {
      return events.verifyEventUrl(challenge);
    },
    addDocument(documentId, blocks, ending): void {
      documents.add(documentId, blocks, ending);
    },
    editDocument(documentId: string): void {
      spaces.editDocument(documentId);
    },
    setDriveMediaDailyQuota(quota: number): void {
      context.dailyQuota.limit = quota;
    },
    addUserToken(token: string): void {
      tokens.addUserToken(token);
    },
    revokeTenantTokens(): void {
      tokens.revokeTenantTokens();
    },
    fault(f): void {
      faults.add(f);
    },
    async close(): Promise<void> {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // server.close() alone waits for keep-alive and hanging connections to end by themselves.
      for (const socket of sockets) socket.destroy();
      await Promise.all([closed, events.close()]);
    },
  };
}
