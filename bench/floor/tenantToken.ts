const env = process.env;
let token: Promise<string> | undefined;

/** The floor's tenant token: one plain POST per container, its answer reused. */
export function tenantToken(): Promise<string> {
  token ??= fetch(`${env.FEISHU_BASE_URL}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ app_id: env.FEISHU_APP_ID, app_secret: env.FEISHU_APP_SECRET }),
  })
    .then((answer) => answer.json())
    .then((answer) => (answer as { tenant_access_token: string }).tenant_access_token);
  return token;
}
