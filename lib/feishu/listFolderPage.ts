import type { EndpointDescription, FolderItem } from '../endpoints';
import { MirrorError } from '../errors/MirrorError';
import type { MetricTally } from '../metrics/MetricTally';
import type { Deadline } from '../runtime/Deadline';
import type { Settings } from '../settings/Settings';
import { readText } from '../clients/feishuHttp';
import { callFeishu, feishuTimeout } from './callFeishu';
import { fillPath } from './feishuUrl';
import { isRecord, MAX_PAGE_BYTES, readFeishuAnswer } from './listDocumentBlocks';
import type { CallLimiter } from './RateLimiters';
import type { FeishuClients } from './tenantToken';
import { translateFeishuFailure } from './translateFeishuFailure';

/** One page of a parent's children in a place (a wiki space, a Drive folder). */
export interface FolderPage {
  items: FolderItem[];
  /** How many items the page held, documents or not. */
  count: number;
  hasMore: boolean;
  pageToken?: string;
}

/** The page to list: of which parent (the place's top level when undefined), after which page token. */
export interface FolderPageCall {
  endpoint: EndpointDescription<string>;
  source: Readonly<Record<string, string>>;
  parent: string | undefined;
  pageToken?: string;
  userAccessToken?: string;
  limiter?: CallLimiter;
  metrics?: MetricTally;
}

/**
 * One page of a parent's children, read as the place's description says (`folder`): the call
 * within the endpoint's rate limit, with the retries and error table of every Feishu call, and
 * each item read into what the listing uses (a document, a parent to list). A page may be empty
 * and still say `has_more`: Feishu filters items the app may not see out of a full page.
 *
 * @example
 * const call = { endpoint: wikiSpace, source: { spaceId }, parent: undefined };
 * const page = await listFolderPage(call, settings, deadline, clients);
 * // { items: [{ document: { documentId: 'doxcn…', title: 'Plan', editTime: 1765000060 }, children: 'wikcn…' }, …],
 * //   hasMore: true, pageToken: '…' }
 */
export async function listFolderPage(
  call: FolderPageCall,
  settings: Settings,
  deadline: Deadline,
  clients: FeishuClients,
): Promise<FolderPage> {
  const { endpoint, source, parent, pageToken, userAccessToken, limiter, metrics } = call;
  const folder = endpoint.folder;
  if (folder === undefined) throw new Error(`${endpoint.kind} is not a place endpoint`);
  const subject = `${endpoint.noun} ${endpoint.ids.map((id) => source[id]).join('/')}${parent ? ` (${parent})` : ''}`;
  const query = new URLSearchParams({
    page_size: String(folder.pageSize),
    ...(parent === undefined ? {} : { [folder.parentQuery]: parent }),
    ...(pageToken === undefined ? {} : { page_token: pageToken }),
  });
  const url = `${settings.feishuBaseUrl}${fillPath(endpoint.feishuPath, source)}?${query}`;
  const feishuCall = { endpoint: endpoint as EndpointDescription, url, subject, userAccessToken, limiter, metrics };
  const { response } = await callFeishu(feishuCall, settings, deadline, clients);
  let text: string;
  try {
    text = await readText(response, MAX_PAGE_BYTES);
  } catch (error) {
    if (deadline.expired) throw feishuTimeout(subject, error);
    throw new MirrorError('UPSTREAM_ERROR', `${subject}: Feishu's page broke off`, { cause: error });
  }
  const wrong = (what: string): MirrorError =>
    new MirrorError('UPSTREAM_ERROR', `${subject}: Feishu's page is ${what}`);
  const parsed = readFeishuAnswer(text, wrong);
  if (parsed.code !== 0) {
    const context = {
      endpoint: endpoint as EndpointDescription,
      subject,
      withUserToken: userAccessToken !== undefined,
    };
    throw translateFeishuFailure({ status: 200, headers: response.headers, body: text }, context).error;
  }
  const data = parsed.data;
  const listed = isRecord(data) ? (data[folder.itemsField] ?? []) : undefined;
  if (!isRecord(data) || !Array.isArray(listed)) throw wrong(`without data.${folder.itemsField}`);
  const next = data[folder.nextPageField];
  return {
    items: listed.filter(isRecord).map((item) => folder.read(item)),
    count: listed.length,
    hasMore: data.has_more === true,
    ...(typeof next === 'string' && next !== '' ? { pageToken: next } : {}),
  };
}
