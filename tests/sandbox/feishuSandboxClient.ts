import { tokenPath, type FeishuSandbox } from './feishu';

/** A Feishu error body, as the sandbox tests read it. */
export interface ErrorBody {
  code: number;
  msg: string;
  error?: { log_id: string; troubleshooter: string };
}

/** Asks the sandbox's token endpoint, with the sandbox's own credentials unless told otherwise. */
export function requestToken(
  sandbox: FeishuSandbox,
  body: unknown = { app_id: sandbox.appId, app_secret: sandbox.appSecret },
): Promise<Response> {
  return fetch(`${sandbox.url}${tokenPath}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A tenant token the sandbox issued. */
export async function tenantToken(sandbox: FeishuSandbox): Promise<string> {
  const answer = (await (await requestToken(sandbox)).json()) as { tenant_access_token: string };
  return answer.tenant_access_token;
}

/** A GET to the sandbox with a bearer token (none when undefined). */
export function download(
  sandbox: FeishuSandbox,
  path: string,
  token: string | undefined,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, {
    headers: { ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }), ...headers },
  });
}

/** The HTTP status and Feishu code of an answer, read together so one expectation names both. */
export async function statusAndCode(response: Response): Promise<[number, number]> {
  return [response.status, ((await response.json()) as ErrorBody).code];
}

/** Resolves a few ms into the next wall-clock second, so a burst sent then lands in one window. */
export function sleepUntilNextSecond(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
}
