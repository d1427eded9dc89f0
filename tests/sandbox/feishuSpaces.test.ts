import { startFeishuSandbox, type FeishuSandbox } from './feishu';
import { download, statusAndCode, tenantToken } from './feishuSandboxClient';

interface Page<Item> {
  code: number;
  data: { items?: Item[]; files?: Item[]; has_more: boolean; page_token?: string; next_page_token?: string };
}

interface Node {
  node_token: string;
  obj_token: string;
  obj_type: string;
  node_type: string;
  origin_node_token: string;
  parent_node_token: string;
  has_child: boolean;
  obj_edit_time: string;
}

interface File {
  token: string;
  type: string;
  modified_time: string;
  shortcut_info?: { target_type: string; target_token: string };
}

const wikiPath = (spaceId: string, query: Record<string, string>) =>
  `/open-apis/wiki/v2/spaces/${spaceId}/nodes?${new URLSearchParams(query)}`;
const drivePath = (query: Record<string, string>) => `/open-apis/drive/v1/files?${new URLSearchParams(query)}`;

/** Every page of one listing, following the page tokens, counting the empty pages. */
async function allPages<Item>(
  sandbox: FeishuSandbox,
  token: string,
  path: (pageToken?: string) => string,
): Promise<{ items: Item[]; pages: number; emptyPages: number }> {
  const found = { items: [] as Item[], pages: 0, emptyPages: 0 };
  let pageToken: string | undefined;
  do {
    const page = (await (await download(sandbox, path(pageToken), token)).json()) as Page<Item>;
    expect(page.code).toBe(0);
    const items = page.data.items ?? page.data.files ?? [];
    found.items.push(...items);
    found.pages += 1;
    if (items.length === 0 && page.data.has_more) found.emptyPages += 1;
    pageToken = page.data.has_more ? (page.data.page_token ?? page.data.next_page_token) : undefined;
  } while (pageToken !== undefined);
  return found;
}

describe('Feishu sandbox: wiki spaces and Drive folders', () => {
  let sandbox: FeishuSandbox;
  let token: string;

  beforeAll(async () => {
    sandbox = await startFeishuSandbox({ rateLimits: false });
    token = await tenantToken(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  describe('wiki nodes', () => {
    it('lists a space of 2,000 nodes over five levels, with shortcuts, empty pages and other types', async () => {
      // Prepare
      const spaceId = 'wikigen-2000';
      const nodes: Node[] = [];
      let emptyPages = 0;
      const depth = new Map<string, number>();
      const parents: (string | undefined)[] = [undefined];

      // Act
      while (parents.length > 0) {
        const parent = parents.shift();
        const listed = await allPages<Node>(sandbox, token, (pageToken) =>
          wikiPath(spaceId, {
            page_size: '50',
            ...(parent === undefined ? {} : { parent_node_token: parent }),
            ...(pageToken === undefined ? {} : { page_token: pageToken }),
          }),
        );
        emptyPages += listed.emptyPages;
        for (const node of listed.items) {
          nodes.push(node);
          depth.set(node.node_token, parent === undefined ? 1 : depth.get(parent)! + 1);
          if (node.has_child && node.node_type === 'origin') parents.push(node.node_token);
        }
      }

      // Assess
      expect(nodes).toHaveLength(2000);
      expect(Math.max(...depth.values())).toBe(5);
      expect(emptyPages).toBeGreaterThan(10);
      const shortcuts = nodes.filter((node) => node.node_type === 'shortcut');
      expect(shortcuts.length).toBeGreaterThan(20);
      const ancestorShortcut = nodes.find((node) => node.node_token === 'wikcn2000x1020')!;
      expect(ancestorShortcut).toMatchObject({
        node_type: 'shortcut',
        origin_node_token: 'wikcn2000x165',
        has_child: true,
      });
      expect(nodes.find((node) => node.node_token === 'wikcn2000x970')).toMatchObject({
        node_type: 'shortcut',
        obj_type: 'docx',
        obj_token: 'doxgenw2000x967',
      });
      expect(new Set(nodes.map((node) => node.obj_type))).toEqual(
        new Set(['docx', 'sheet', 'doc', 'mindnote', 'bitable', 'file', 'slides']),
      );
    });

    it('gives a document edited a later obj_edit_time, and serves its blocks', async () => {
      // Prepare
      const path = wikiPath('wikigen-2000', { page_size: '50', parent_node_token: 'wikcn2000x1' });
      const before = (await (await download(sandbox, path, token)).json()) as Page<Node>;
      const child = before.data.items!.find((node) => node.obj_type === 'docx')!;

      // Act
      sandbox.editDocument(child.obj_token);
      const after = (await (await download(sandbox, path, token)).json()) as Page<Node>;
      const blocks = await download(sandbox, `/open-apis/docx/v1/documents/${child.obj_token}/blocks`, token);

      // Assess
      const edited = after.data.items!.find((node) => node.node_token === child.node_token)!;
      expect(Number(edited.obj_edit_time)).toBeGreaterThan(Number(child.obj_edit_time));
      expect(blocks.status).toBe(200);
    });

    it.each([
      ['err-131005', 400, 131005],
      ['err-131006', 400, 131006],
      ['err-131001', 400, 131001],
      ['err-http-503', 503, 131007],
      ['nosuchspace', 400, 131005],
    ])('answers the space %s with %d/%d', async (spaceId, status, code) => {
      // Act
      const answer = await download(sandbox, wikiPath(spaceId, {}), token);

      // Assess
      expect(await statusAndCode(answer)).toEqual([status, code]);
    });

    it('refuses a page size over 50 and a page token it did not issue', async () => {
      // Act
      const big = await download(sandbox, wikiPath('wikigen-10', { page_size: '51' }), token);
      const forged = await download(sandbox, wikiPath('wikigen-10', { page_token: 'pg3x0' }), token);

      // Assess
      expect(await statusAndCode(big)).toEqual([400, 131002]);
      expect(await statusAndCode(forged)).toEqual([400, 131002]);
    });
  });

  describe('Drive folders', () => {
    it('lists a folder tree page by page with next_page_token, sub-folders and shortcuts', async () => {
      // Prepare
      const files: File[] = [];
      const folders = ['fldgen-2000'];
      let emptyPages = 0;

      // Act
      while (folders.length > 0) {
        const folder = folders.shift()!;
        const listed = await allPages<File>(sandbox, token, (pageToken) =>
          drivePath({
            folder_token: folder,
            page_size: '200',
            ...(pageToken === undefined ? {} : { page_token: pageToken }),
          }),
        );
        emptyPages += listed.emptyPages;
        files.push(...listed.items);
        folders.push(...listed.items.filter((file) => file.type === 'folder').map((file) => file.token));
      }

      // Assess
      expect(files).toHaveLength(2000);
      expect(emptyPages).toBeGreaterThan(0);
      const shortcuts = files.filter((file) => file.type === 'shortcut');
      expect(shortcuts.some((file) => file.shortcut_info?.target_type === 'folder')).toBe(true);
      expect(shortcuts.some((file) => file.shortcut_info?.target_type === 'docx')).toBe(true);
      expect(files.filter((file) => file.type === 'docx').length).toBeGreaterThan(600);
    });

    it.each([
      ['err-1061004', 403, 1061004],
      ['err-1061003', 404, 1061003],
      ['err-1061007', 404, 1061007],
      ['err-http-500', 500, 1061001],
      ['nosuchfolder', 404, 1061003],
    ])('answers the folder %s with %d/%d', async (folderToken, status, code) => {
      // Act
      const answer = await download(sandbox, drivePath({ folder_token: folderToken }), token);

      // Assess
      expect(await statusAndCode(answer)).toEqual([status, code]);
    });

    it('refuses a page size over 200 with 1064001', async () => {
      // Act
      const answer = await download(sandbox, drivePath({ folder_token: 'fldgen-10', page_size: '201' }), token);

      // Assess
      expect(await statusAndCode(answer)).toEqual([400, 1064001]);
    });
  });

  it('holds the wiki listing to 100 calls a minute', async () => {
    // Prepare
    const limited = await startFeishuSandbox();
    const limitedToken = await tenantToken(limited);

    // Act
    for (let call = 0; call < 101; call += 1) await download(limited, wikiPath('wikigen-10', {}), limitedToken);
    await limited.close();

    // Assess: no more than 100 answered in any minute of the clock, and the 101st refused unless a minute turned.
    const perMinute = new Map<number, number>();
    for (const request of limited.requests.filter((r) => r.endpoint === 'wikiNodes' && r.status === 200)) {
      const minute = Math.floor(request.at / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(100);
    if (perMinute.size === 1) expect(limited.requests.at(-1)?.status).toBe(429);
  });
});
