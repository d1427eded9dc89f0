import {
  blockTypes,
  contentDispositionOf,
  echoTokenWord,
  errorCatalog,
  type FeishuBlock,
  type FeishuSandbox,
  imageTokenOf,
  mediaFileNames,
  pngSignature,
  sampleDocumentId,
  startFeishuSandbox,
  whiteboardTokenOf,
} from './feishu';
import { RateLimitCounter } from './feishu/RateLimitCounter';
import { planContent } from './feishu/planContent';
import { download, type ErrorBody, sleepUntilNextSecond, statusAndCode, tenantToken } from './feishuSandboxClient';

const paths = {
  // null leaves the query out: undefined would take the default.
  imMessage: (messageId: string, fileKey: string, type: string | null = 'image'): string =>
    `/open-apis/im/v1/messages/${messageId}/resources/${fileKey}${type === null ? '' : `?type=${type}`}`,
  driveMedia: (fileToken: string, extra?: string): string => {
    const query = extra === undefined ? '' : `?extra=${encodeURIComponent(extra)}`;
    return `/open-apis/drive/v1/medias/${fileToken}/download${query}`;
  },
  docxBlocks: (documentId: string, query = ''): string =>
    `/open-apis/docx/v1/documents/${documentId}/blocks${query === '' ? '' : `?${query}`}`,
  whiteboard: (id: string): string => `/open-apis/board/v1/whiteboards/${id}/download_as_image`,
};

/** The `extra` a docx document's media need, as the product sends it. */
function docxExtra(documentId: string): string {
  return JSON.stringify({ doc_id: documentId, doc_type: 'docx' });
}

interface BlocksPage {
  code: number;
  msg: string;
  data: { items: FeishuBlock[]; has_more: boolean; page_token?: string };
}

async function blocksPage(sandbox: FeishuSandbox, documentId: string, query = '', token?: string): Promise<BlocksPage> {
  const response = await download(sandbox, paths.docxBlocks(documentId, query), token ?? (await tenantToken(sandbox)));
  expect(response.status).toBe(200);
  return (await response.json()) as BlocksPage;
}

/** Every page of a document's blocks, following page_token while has_more. */
async function allPages(sandbox: FeishuSandbox, documentId: string): Promise<BlocksPage[]> {
  const token = await tenantToken(sandbox);
  const pages = [await blocksPage(sandbox, documentId, 'page_size=500', token)];
  for (let last = pages[0]; last?.data.has_more; last = pages.at(-1)) {
    const pageToken = encodeURIComponent(last.data.page_token ?? '');
    pages.push(await blocksPage(sandbox, documentId, `page_size=500&page_token=${pageToken}`, token));
  }
  return pages;
}

/** The name a Content-Disposition header gives, read as RFC 6266 says: `filename*` wins over `filename`. */
function fileNameOf(header: string): string {
  const extended = /filename\*=UTF-8''([^;\s]+)/.exec(header);
  if (extended?.[1] !== undefined) return decodeURIComponent(extended[1]);
  const quoted = /filename="((?:[^"\\]|\\.)*)"/.exec(header);
  return (quoted?.[1] ?? '').replace(/\\(.)/g, '$1');
}

function secondsUntilNextFeishuDay(now: number): number {
  const day = 24 * 3600_000;
  const offset = 8 * 3600_000;
  return Math.ceil(((Math.floor((now + offset) / day) + 1) * day - offset - now) / 1000);
}

describe('Feishu sandbox: chats and documents', () => {
  let sandbox: FeishuSandbox;

  beforeAll(async () => {
    sandbox = await startFeishuSandbox({ rateLimits: false });
    sandbox.addUserToken('u-reader');
  });

  beforeEach(() => {
    sandbox.reset();
  });

  afterAll(async () => {
    await sandbox.close();
  });

  describe('message resources', () => {
    it('serves the PNG of a message resource asked for with type=image and records the query', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      const path = paths.imMessage('om_dc13264520392913993dd051dba21dcf', 'img_v3_02ab_8f2d1c0e6b');

      // Act
      const response = await download(sandbox, path, token);

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await response.arrayBuffer()).subarray(0, 8)).toEqual(pngSignature);
      expect(sandbox.requests.at(-1)).toMatchObject({ endpoint: 'imMessage', url: path, query: { type: 'image' } });
    });

    it('serves the same bytes for type=file as for type=image', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const image = await download(sandbox, paths.imMessage('om_1', 'file_v3_1', 'image'), token);
      const file = await download(sandbox, paths.imMessage('om_1', 'file_v3_1', 'file'), token);

      // Assess
      expect(Buffer.from(await file.arrayBuffer())).toEqual(Buffer.from(await image.arrayBuffer()));
    });

    it.each([
      ['without type', null],
      ['with type=audio', 'audio'],
      ['with an empty type', ''],
    ])('answers a request %s with 400/234001', async (_case, type) => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.imMessage('om_1', 'img_1', type), token);

      // Assess
      expect(await statusAndCode(response)).toEqual([400, 234001]);
    });

    it('answers a user token with 400/99991668, the invalid user token code', async () => {
      // Prepare
      const path = paths.imMessage('om_1', 'img_1');

      // Act
      const response = await download(sandbox, path, 'u-reader');

      // Assess
      expect(await statusAndCode(response)).toEqual([400, 99991668]);
    });

    it('answers a malformed file key with 400/234001', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.imMessage('om_1', 'img.1'), token);

      // Assess
      expect(await statusAndCode(response)).toEqual([400, 234001]);
    });

    it('reads an error trigger from the message id before the file key', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.imMessage('err-230110', 'err-234003'), token);

      // Assess
      expect(await statusAndCode(response)).toEqual([400, 230110]);
    });

    it.each(errorCatalog.filter((entry) => entry.scope === 'imMessageResource').map((entry) => [entry.code, entry]))(
      'answers the file key err-%d with its catalogued status and msg',
      async (code, entry) => {
        // Prepare
        const token = await tenantToken(sandbox);

        // Act
        const response = await download(sandbox, paths.imMessage('om_1', `err-${code}`), token);

        // Assess
        expect(response.status).toBe(entry.status);
        expect(await response.json()).toMatchObject({ code, msg: entry.msg });
      },
    );

    it('answers err-http-502 with 502 and the internal code 1', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.imMessage('om_1', 'err-http-502'), token);

      // Assess
      expect(await statusAndCode(response)).toEqual([502, 1]);
    });
  });

  describe('document media', () => {
    it('serves a PNG named after its token to the tenant token', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.driveMedia('boxcnrHpsg1QDqXAAAyachabcef'), token);

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('content-disposition')).toBe(
        'attachment; filename="boxcnrHpsg1QDqXAAAyachabcef.png"',
      );
      expect(Buffer.from(await response.arrayBuffer()).subarray(0, 8)).toEqual(pngSignature);
    });

    it('names a JPEG with the .jpg extension of its type', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.driveMedia('boxcn_jpeg_1'), token);

      // Assess
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="boxcn_jpeg_1.jpg"');
    });

    it('names a big streamed body too', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.driveMedia('big-100000'), token);

      // Assess
      expect((await response.arrayBuffer()).byteLength).toBe(100_000);
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="big-100000.png"');
    });

    it.each(mediaFileNames.map((entry) => [entry.contains, entry]))(
      'answers a token containing %s with its Content-Disposition',
      async (word, entry) => {
        // Prepare
        const token = await tenantToken(sandbox);

        // Act
        const response = await download(sandbox, paths.driveMedia(`boxcn_${word}_1`), token);

        // Assess
        expect(response.status).toBe(200);
        expect(response.headers.get('content-disposition')).toBe(entry.header ?? null);
      },
    );

    it.each(mediaFileNames.filter((entry) => entry.header !== undefined).map((entry) => [entry.contains, entry]))(
      'gives the %s header the file name the table says, read as RFC 6266 reads it',
      (_word, entry) => {
        // Prepare
        const header = entry.header ?? '';

        // Act
        const name = fileNameOf(header);

        // Assess
        expect(name).toBe(entry.name);
      },
    );

    it('sends a unicode name that is 架构图 v2.png in filename* and only ASCII in filename', () => {
      // Prepare
      const header = contentDispositionOf('boxcn_unicode_1', 'image/png') ?? '';

      // Act
      const fallback = /filename="([^"]*)"/.exec(header)?.[1] ?? '';

      // Assess
      expect(fileNameOf(header)).toBe('架构图 v2.png');
      expect(header).toContain(`filename*=UTF-8''${encodeURIComponent('架构图 v2.png')}`);
      expect(fallback).toMatch(/^[\x20-\x7e]+$/);
    });

    it('sends a hostile long name of more than 300 characters', () => {
      // Prepare
      const token = 'boxcn_hostilelong_1';

      // Act
      const name = fileNameOf(contentDispositionOf(token, 'image/png') ?? '');

      // Assess
      expect(name.length).toBeGreaterThan(300);
    });

    it(`names the file after the request's own access token for a token containing ${echoTokenWord}`, async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.driveMedia(`boxcn_${echoTokenWord}_1`), token);

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${token}.png"`);
    });

    it('forbids a useronly token to the tenant token with 403/1061004 and serves it to a user token', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const asApp = await download(sandbox, paths.driveMedia('useronly_media_1'), token);
      const asUser = await download(sandbox, paths.driveMedia('useronly_media_1'), 'u-reader');

      // Assess
      expect(await statusAndCode(asApp)).toEqual([403, 1061004]);
      expect(asUser.status).toBe(200);
      expect(Buffer.from(await asUser.arrayBuffer()).subarray(0, 8)).toEqual(pngSignature);
    });

    it('forbids a docmedia token without extra with 403/1061004', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.driveMedia('docmedia_1'), token);

      // Assess
      expect(await statusAndCode(response)).toEqual([403, 1061004]);
    });

    it('serves a docmedia token whose extra names its document, and records extra decoded', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      const extra = docxExtra('doxcnQ8dUQhV1vcTdEYZhzBbWkb');

      // Act
      const response = await download(sandbox, paths.driveMedia('docmedia_1', extra), token);

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(sandbox.requests.at(-1)?.query).toEqual({ extra });
      expect(sandbox.requests.at(-1)?.url).toBe(paths.driveMedia('docmedia_1', extra));
    });

    it.each([
      ['not JSON', 'doc_id=doxcn1'],
      ['JSON without doc_type', '{"doc_id":"doxcn1"}'],
      ['a doc_id that is no string', '{"doc_id":1,"doc_type":"docx"}'],
      ['a JSON array', '["doxcn1","docx"]'],
    ])('answers an extra that is %s with 400/1061002', async (_case, extra) => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.driveMedia('boxcn1', extra), token);

      // Assess
      expect(await statusAndCode(response)).toEqual([400, 1061002]);
    });

    it('answers a malformed token with 400/1061002 and err-http-500 with 500/1061001', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const malformed = await download(sandbox, paths.driveMedia('boxcn.1'), token);
      const internal = await download(sandbox, paths.driveMedia('err-http-500'), token);

      // Assess
      expect(await statusAndCode(malformed)).toEqual([400, 1061002]);
      expect(await statusAndCode(internal)).toEqual([500, 1061001]);
    });

    it.each(errorCatalog.filter((entry) => entry.scope === 'driveMedia').map((entry) => [entry.code, entry]))(
      'answers the token err-%d with its catalogued status',
      async (code, entry) => {
        // Prepare
        const token = await tenantToken(sandbox);

        // Act
        const response = await download(sandbox, paths.driveMedia(`err-${code}`), token);

        // Assess
        expect(await statusAndCode(response)).toEqual([entry.status, code]);
      },
    );

    it('adds the rate-limit headers to err-1061045, with the window of 5', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.driveMedia('err-1061045'), token);

      // Assess
      expect(response.status).toBe(429);
      expect(response.headers.get('x-ogw-ratelimit-limit')).toBe('5');
      expect(response.headers.get('x-ogw-ratelimit-reset')).toBe('1');
    });
  });

  describe('docx blocks', () => {
    it('answers the sample document in one page, the page block first', async () => {
      // Prepare
      const documentId = sampleDocumentId;

      // Act
      const page = await blocksPage(sandbox, documentId);

      // Assess
      expect(page).toMatchObject({ code: 0, msg: 'success', data: { has_more: false } });
      expect(page.data).not.toHaveProperty('page_token');
      const [first] = page.data.items;
      expect(first).toMatchObject({ block_id: documentId, parent_id: '', block_type: blockTypes.page });
      const images = page.data.items.filter((b) => b.block_type === blockTypes.image).map((b) => b.image?.token);
      const boards = page.data.items.filter((b) => b.block_type === blockTypes.board).map((b) => b.board?.token);
      expect(images).toEqual([1, 2, 3].map((n) => imageTokenOf(documentId, n)));
      expect(boards).toEqual([whiteboardTokenOf(documentId, 1)]);
    });

    it('nests the second image of the sample document inside a callout', async () => {
      // Prepare
      const page = await blocksPage(sandbox, sampleDocumentId);
      const byId = new Map(page.data.items.map((b) => [b.block_id, b]));

      // Act
      const nested = page.data.items.find((b) => b.image?.token === imageTokenOf(sampleDocumentId, 2));

      // Assess
      const parent = byId.get(nested?.parent_id ?? '');
      expect(parent?.block_type).toBe(blockTypes.callout);
      expect(parent?.children).toContain(nested?.block_id);
      expect(byId.get(parent?.parent_id ?? '')?.block_type).toBe(blockTypes.page);
    });

    it('pages docgen-600-3-100 in pages of 500 with has_more and page_token, none on the last page', async () => {
      // Prepare
      const documentId = 'docgen-600-3-100';

      // Act
      const pages = await allPages(sandbox, documentId);

      // Assess
      expect(pages.map((p) => p.data.items.length)).toEqual([500, 500, 184]);
      expect(pages.map((p) => p.data.has_more)).toEqual([true, true, false]);
      expect(pages.map((p) => typeof p.data.page_token)).toEqual(['string', 'string', 'undefined']);
      const blocks = pages.flatMap((p) => p.data.items);
      expect(new Set(blocks.map((b) => b.block_id)).size).toBe(blocks.length);
    });

    it('generates the images, whiteboards and texts of its id, numbered in document order', async () => {
      // Prepare
      const documentId = 'docgen-600-3-100';

      // Act
      const blocks = (await allPages(sandbox, documentId)).flatMap((p) => p.data.items);

      // Assess
      const images = blocks.flatMap((b) => (b.image === undefined ? [] : [b.image.token]));
      const boards = blocks.flatMap((b) => (b.board === undefined ? [] : [b.board.token]));
      const texts = blocks.filter((b) => b.block_type === blockTypes.text);
      expect(images).toEqual(Array.from({ length: 600 }, (_, i) => `boxcndocgen6003100i${i + 1}`));
      expect(boards).toEqual(['wbcndocgen6003100w1', 'wbcndocgen6003100w2', 'wbcndocgen6003100w3']);
      expect(texts).toHaveLength(100);
      expect(texts[0]?.text?.elements[0]?.text_run.content).toBe('Paragraph 1');
    });

    it('interleaves the kinds of a generated document rather than grouping them', async () => {
      // Prepare
      const documentId = 'docgen-600-3-100';

      // Act
      const blocks = (await allPages(sandbox, documentId)).flatMap((p) => p.data.items);

      // Assess
      const positions = (type: number): number[] =>
        blocks.flatMap((b, i) => (b.block_type === type ? [i / blocks.length] : []));
      const boards = positions(blockTypes.board);
      const texts = positions(blockTypes.text);
      expect(boards[0]).toBeLessThan(0.5);
      expect(boards.at(-1)).toBeGreaterThan(0.5);
      expect(texts[0]).toBeLessThan(0.05);
      expect(texts.at(-1)).toBeGreaterThan(0.95);
    });

    it('lays out the blocks depth-first from the page block, each child naming its parent', async () => {
      // Prepare
      const blocks = (await allPages(sandbox, 'docgen-600-3-100')).flatMap((p) => p.data.items);
      const byId = new Map(blocks.map((b) => [b.block_id, b]));
      const preOrder: string[] = [];
      const orphans: string[] = [];
      const visit = (block: FeishuBlock): void => {
        preOrder.push(block.block_id);
        for (const childId of block.children ?? []) {
          const child = byId.get(childId);
          if (child?.parent_id !== block.block_id) orphans.push(childId);
          if (child !== undefined) visit(child);
        }
      };

      // Act
      visit(blocks[0]!);

      // Assess
      expect(preOrder).toEqual(blocks.map((b) => b.block_id));
      expect(orphans).toEqual([]);
      expect(blocks.filter((b) => b.children !== undefined && b.children.length === 0)).toEqual([]);
    });

    it('nests some images in callouts, some in grid columns and some in callouts inside grid columns', async () => {
      // Prepare
      const blocks = (await allPages(sandbox, 'docgen-600-3-100')).flatMap((p) => p.data.items);
      const byId = new Map(blocks.map((b) => [b.block_id, b]));
      const typeOf = (id: string | undefined): number | undefined => byId.get(id ?? '')?.block_type;

      // Act
      const chains = blocks
        .filter((b) => b.block_type === blockTypes.image)
        .map((image) => {
          const chain: (number | undefined)[] = [];
          for (let id = image.parent_id; id !== ''; id = byId.get(id)?.parent_id ?? '') chain.push(typeOf(id));
          return chain.join('>');
        });

      // Assess
      const { page, callout, gridColumn, grid } = blockTypes;
      expect(new Set(chains)).toEqual(
        new Set([
          `${page}`,
          `${callout}>${page}`,
          `${gridColumn}>${grid}>${page}`,
          `${callout}>${gridColumn}>${grid}>${page}`,
        ]),
      );
    });

    it('generates tokens that trigger no id rule: each is served its own PNG and a plain file name', async () => {
      // Prepare
      const blocks = (await allPages(sandbox, 'docgen-600-3-100')).flatMap((p) => p.data.items);

      // Act
      const tokens = blocks.flatMap((b) => [b.image?.token, b.board?.token]).filter((t) => t !== undefined);

      // Assess
      expect(tokens).toHaveLength(603);
      const unusual = tokens.filter((token) => {
        const plan = planContent([token]);
        const plainName = contentDispositionOf(token, 'image/png') === `attachment; filename="${token}.png"`;
        return plan.type !== 'body' || plan.contentType !== 'image/png' || plan.delayMs !== 0 || !plainName;
      });
      expect(unusual).toEqual([]);
    });

    it("serves a document's image token as media with extra naming it, its whiteboard token as a board", async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      const documentId = 'docgen-3-1-1';
      const page = await blocksPage(sandbox, documentId, '', token);
      const image = page.data.items.find((b) => b.image !== undefined)?.image?.token ?? '';
      const board = page.data.items.find((b) => b.board !== undefined)?.board?.token ?? '';

      // Act
      const media = await download(sandbox, paths.driveMedia(image, docxExtra(documentId)), token);
      const whiteboard = await download(sandbox, paths.whiteboard(board), token);

      // Assess
      expect([media.status, media.headers.get('content-type')]).toEqual([200, 'image/png']);
      expect([whiteboard.status, whiteboard.headers.get('content-type')]).toEqual([200, 'image/png']);
    });

    it('answers page_size=2 with two blocks and a token that continues where they end', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      const whole = await blocksPage(sandbox, sampleDocumentId, '', token);

      // Act
      const first = await blocksPage(sandbox, sampleDocumentId, 'page_size=2', token);
      const next = encodeURIComponent(first.data.page_token ?? '');
      const second = await blocksPage(sandbox, sampleDocumentId, `page_size=2&page_token=${next}`, token);

      // Assess
      expect(first.data.items).toEqual(whole.data.items.slice(0, 2));
      expect(second.data.items).toEqual(whole.data.items.slice(2, 4));
      expect(second.data.has_more).toBe(true);
    });

    it.each(['0', '501', 'ten', '-1', ''])('answers page_size=%s with 400/1770001', async (pageSize) => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.docxBlocks(sampleDocumentId, `page_size=${pageSize}`), token);

      // Assess
      expect(await statusAndCode(response)).toEqual([400, 1770001]);
    });

    it('answers a page_token it never issued with 400/1770001', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.docxBlocks('docgen-600-3-100', 'page_token=doxcnForged'), token);

      // Assess
      expect(await statusAndCode(response)).toEqual([400, 1770001]);
    });

    it('answers a page_token issued for another document with 400/1770001', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      const other = await blocksPage(sandbox, 'docgen-600-3-100', '', token);
      const query = `page_token=${encodeURIComponent(other.data.page_token ?? '')}`;

      // Act
      const response = await download(sandbox, paths.docxBlocks('docgen-600-3-101', query), token);

      // Assess
      expect(await statusAndCode(response)).toEqual([400, 1770001]);
    });

    it('forgets the page tokens it issued on reset() but keeps serving the document', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      const first = await blocksPage(sandbox, 'docgen-600-3-100', '', token);
      const query = `page_token=${encodeURIComponent(first.data.page_token ?? '')}`;

      // Act
      sandbox.reset();
      const fresh = await tenantToken(sandbox);
      const response = await download(sandbox, paths.docxBlocks('docgen-600-3-100', query), fresh);

      // Assess
      expect(await statusAndCode(response)).toEqual([400, 1770001]);
      expect((await blocksPage(sandbox, 'docgen-600-3-100', '', fresh)).data.items).toEqual(first.data.items);
    });

    it('accepts document_revision_id and ignores it', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      const latest = await blocksPage(sandbox, sampleDocumentId, '', token);

      // Act
      const revision = await blocksPage(sandbox, sampleDocumentId, 'document_revision_id=-1', token);

      // Assess
      expect(revision).toEqual(latest);
    });

    it.each([
      ['err-1770002', 404, 1770002],
      ['err-1770032', 403, 1770032],
      ['err-1770001', 400, 1770001],
      ['doxcnNeverCreated0000000000', 404, 1770002],
      ['docgen-1-1-99999', 404, 1770002],
      ['doxcn.bad', 400, 1770001],
      ['err-http-503', 503, 1],
    ])('answers the document id %s with %d/%d', async (documentId, status, code) => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const response = await download(sandbox, paths.docxBlocks(documentId), token);

      // Assess
      expect(await statusAndCode(response)).toEqual([status, code]);
    });

    it('forbids a useronly document to the tenant token with 403/1770032 and lets a user token read it', async () => {
      // Prepare
      const token = await tenantToken(sandbox);

      // Act
      const asApp = await download(sandbox, paths.docxBlocks('useronly_doxcn1'), token);
      const asUser = await blocksPage(sandbox, 'useronly_doxcn1', '', 'u-reader');

      // Assess
      expect(await statusAndCode(asApp)).toEqual([403, 1770032]);
      expect(asUser.data.items.filter((b) => b.image !== undefined)).toHaveLength(3);
    });

    it('serves a registered document with the tokens given and parents and children derived', async () => {
      // Prepare
      sandbox.addDocument('doxcnRegistered000000000001', [
        { type: 'text', text: 'Intro' },
        { type: 'image', token: 'err-1061004', blockId: 'doxcnImageForbidden00000001' },
        { type: 'grid', columns: [[{ type: 'image', token: 'big-2000000' }], [{ type: 'whiteboard', token: 'wb_1' }]] },
        { type: 'callout', children: [{ type: 'image', token: 'useronly_media_2' }] },
      ]);

      // Act
      const page = await blocksPage(sandbox, 'doxcnRegistered000000000001');

      // Assess
      const items = page.data.items;
      expect(items.map((b) => b.block_type)).toEqual([1, 2, 27, 24, 25, 27, 25, 43, 19, 27]);
      expect(items.filter((b) => b.image !== undefined).map((b) => b.image?.token)).toEqual([
        'err-1061004',
        'big-2000000',
        'useronly_media_2',
      ]);
      expect(items[2]?.block_id).toBe('doxcnImageForbidden00000001');
      expect(items[0]?.children).toEqual([items[1], items[2], items[3], items[8]].map((b) => b?.block_id));
      expect(items[3]?.children).toEqual([items[4]?.block_id, items[6]?.block_id]);
      expect(items[7]?.parent_id).toBe(items[6]?.block_id);
      expect(items[1]).not.toHaveProperty('children');
    });

    it('replaces a registered document registered again', async () => {
      // Prepare
      sandbox.addDocument('doxcnReplaced', [{ type: 'image', token: 'img_old' }]);

      // Act
      sandbox.addDocument('doxcnReplaced', [{ type: 'text', text: 'No images now' }]);
      const page = await blocksPage(sandbox, 'doxcnReplaced');

      // Assess
      expect(page.data.items.map((b) => b.block_type)).toEqual([1, 2]);
    });

    it("lists a document registered to cycle: its last page gives the second page's token again", async () => {
      // Prepare
      const paragraphs = Array.from({ length: 1100 }, (_, n) => ({
        type: 'text' as const,
        text: `Paragraph ${n + 1}`,
      }));
      sandbox.addDocument('doxcnCycling', paragraphs, 'cycles');
      const token = await tenantToken(sandbox);
      const first = await blocksPage(sandbox, 'doxcnCycling', '', token);
      const pageA = `page_token=${encodeURIComponent(first.data.page_token ?? '')}`;
      const second = await blocksPage(sandbox, 'doxcnCycling', pageA, token);
      const pageB = `page_token=${encodeURIComponent(second.data.page_token ?? '')}`;

      // Act
      const third = await blocksPage(sandbox, 'doxcnCycling', pageB, token);
      const again = await blocksPage(sandbox, 'doxcnCycling', pageA, token);

      // Assess
      expect(third.data.items).toHaveLength(101);
      expect(third.data).toMatchObject({ has_more: true, page_token: first.data.page_token });
      expect(again).toEqual(second);
    });

    it('lists a document registered with empty pages past its end, each saying has_more with a new token', async () => {
      // Prepare
      sandbox.addDocument('doxcnEmptyPages', [{ type: 'text', text: 'The only paragraph' }], 'empty-pages');
      const token = await tenantToken(sandbox);
      const first = await blocksPage(sandbox, 'doxcnEmptyPages', '', token);
      const next = `page_token=${encodeURIComponent(first.data.page_token ?? '')}`;

      // Act
      const empty = await blocksPage(sandbox, 'doxcnEmptyPages', next, token);

      // Assess
      expect(first.data).toMatchObject({ has_more: true });
      expect(first.data.items).toHaveLength(2);
      expect(empty.data).toMatchObject({ items: [], has_more: true });
      expect(empty.data.page_token).toMatch(/^doxcn[0-9a-f]{22}$/);
      expect(empty.data.page_token).not.toBe(first.data.page_token);
    });

    it('refuses to register a document under an id the platform could not have', () => {
      // Prepare
      const register = (): void => sandbox.addDocument('doxcn/1', []);

      // Act, Assess
      expect(register).toThrow("not a document id: 'doxcn/1'");
    });
  });

  describe('faults on the new endpoints', () => {
    it.each([
      ['imMessage', paths.imMessage('om_1', 'img_1')],
      ['driveMedia', paths.driveMedia('boxcn1')],
      ['docxBlocks', paths.docxBlocks(sampleDocumentId)],
    ] as const)('answers a raw fault on %s exactly as given', async (endpoint, path) => {
      // Prepare
      const token = await tenantToken(sandbox);
      const headers = { 'Content-Type': 'text/html', 'X-Tt-Logid': 'raw-log-id' };
      sandbox.fault({ endpoint, kind: { type: 'raw', status: 502, headers, body: '<html>Bad Gateway</html>' } });

      // Act
      const response = await download(sandbox, path, token);

      // Assess
      expect([response.status, response.headers.get('x-tt-logid')]).toEqual([502, 'raw-log-id']);
      expect(await response.text()).toBe('<html>Bad Gateway</html>');
      expect(sandbox.requests.at(-1)).toMatchObject({ endpoint, status: 502 });
    });

    it.each([
      ['imMessage', paths.imMessage('om_1', 'img_1'), 1],
      ['driveMedia', paths.driveMedia('boxcn1'), 1061001],
      ['docxBlocks', paths.docxBlocks(sampleDocumentId), 1],
    ] as const)('answers a 503 status fault on %s with its internal code', async (endpoint, path, code) => {
      // Prepare
      const token = await tenantToken(sandbox);
      sandbox.fault({ endpoint, kind: { type: 'status', status: 503 } });

      // Act
      const response = await download(sandbox, path, token);

      // Assess
      expect(await statusAndCode(response)).toEqual([503, code]);
    });

    it('echoes the Authorization header in an echo fault on document media', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      sandbox.fault({
        endpoint: 'driveMedia',
        kind: { type: 'echo', status: 400, code: 1061002, msg: 'bad {authorization}' },
      });

      // Act
      const response = await download(sandbox, paths.driveMedia('boxcn1'), token);

      // Assess
      expect(((await response.json()) as ErrorBody).msg).toBe(`bad Bearer ${token}`);
    });

    it('cuts a blocks answer short with a shortBody fault', async () => {
      // Prepare
      const token = await tenantToken(sandbox);
      sandbox.fault({ endpoint: 'docxBlocks', kind: { type: 'shortBody', bytes: 20 } });

      // Act
      const response = await download(sandbox, paths.docxBlocks(sampleDocumentId), token);

      // Assess
      expect(response.status).toBe(200);
      await expect(response.json()).rejects.toThrow();
    });
  });
});

describe('Feishu sandbox: limits of chats and documents', () => {
  let limited: FeishuSandbox;

  beforeAll(async () => {
    limited = await startFeishuSandbox();
  });

  beforeEach(() => {
    limited.reset();
    limited.setDriveMediaDailyQuota(10_000);
  });

  afterAll(async () => {
    await limited.close();
  });

  it.each([
    ['imMessage', paths.imMessage('om_1', 'img_1'), 50, 99991400],
    ['driveMedia', paths.driveMedia('boxcn1'), 5, 1061045],
    ['docxBlocks', paths.docxBlocks(sampleDocumentId), 5, 99991400],
  ] as const)(
    'answers %s over its per-second limit of %d with 429/%d and the limit headers',
    async (_e, path, limit, code) => {
      // Prepare
      const token = await tenantToken(limited);
      await sleepUntilNextSecond();

      // Act
      const responses = await Promise.all(Array.from({ length: limit + 1 }, () => download(limited, path, token)));

      // Assess
      const refused = responses.filter((r) => r.status === 429);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0]?.headers.get('x-ogw-ratelimit-limit')).toBe(String(limit));
      expect(Number(refused[0]?.headers.get('x-ogw-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
      expect(((await refused[0]!.json()) as ErrorBody).code).toBe(code);
    },
  );

  it('answers 1061045 with the daily quota and the seconds until the next Feishu day once it is spent', async () => {
    // Prepare
    const token = await tenantToken(limited);
    limited.setDriveMediaDailyQuota(3);
    for (const n of [1, 2, 3]) expect((await download(limited, paths.driveMedia(`boxcn${n}`), token)).status).toBe(200);

    // Act
    const before = Date.now();
    const response = await download(limited, paths.driveMedia('boxcn4'), token);

    // Assess
    expect(await statusAndCode(response)).toEqual([429, 1061045]);
    expect(response.headers.get('x-ogw-ratelimit-limit')).toBe('3');
    const reset = Number(response.headers.get('x-ogw-ratelimit-reset'));
    expect(Math.abs(reset - secondsUntilNextFeishuDay(before))).toBeLessThanOrEqual(2);
  });

  it('does not spend the daily quota on calls refused for the per-second rate', async () => {
    // Prepare
    const token = await tenantToken(limited);
    limited.setDriveMediaDailyQuota(6);
    await sleepUntilNextSecond();
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => download(limited, paths.driveMedia('boxcn1'), token)),
    );
    await sleepUntilNextSecond();

    // Act
    const sixth = await download(limited, paths.driveMedia('boxcn1'), token);
    const seventh = await download(limited, paths.driveMedia('boxcn1'), token);

    // Assess
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(sixth.status).toBe(200);
    expect(seventh.status).toBe(429);
    expect(seventh.headers.get('x-ogw-ratelimit-limit')).toBe('6');
  });

  it('does not spend the daily quota on calls refused for their credentials', async () => {
    // Prepare
    const token = await tenantToken(limited);
    limited.setDriveMediaDailyQuota(1);

    // Act
    const unauthorised = await download(limited, paths.driveMedia('boxcn1'), 't-never-issued');
    const allowed = await download(limited, paths.driveMedia('boxcn1'), token);

    // Assess
    expect(unauthorised.status).toBe(400);
    expect(allowed.status).toBe(200);
  });

  it('spends the daily quota on an authorised call answered with an error', async () => {
    // Prepare
    const token = await tenantToken(limited);
    limited.setDriveMediaDailyQuota(1);

    // Act
    const missing = await download(limited, paths.driveMedia('err-1061003'), token);
    const next = await download(limited, paths.driveMedia('boxcn1'), token);

    // Assess
    expect(missing.status).toBe(404);
    expect(await statusAndCode(next)).toEqual([429, 1061045]);
  });

  it('keeps the daily quota given at start even with rate limits off, until reset()', async () => {
    // Prepare
    const quotaOnly = await startFeishuSandbox({ rateLimits: false, driveMediaDailyQuota: 1 });
    try {
      const token = await tenantToken(quotaOnly);
      await download(quotaOnly, paths.driveMedia('boxcn1'), token);

      // Act
      const spent = await download(quotaOnly, paths.driveMedia('boxcn1'), token);
      quotaOnly.reset();
      const afterReset = await download(quotaOnly, paths.driveMedia('boxcn1'), await tenantToken(quotaOnly));

      // Assess
      expect(await statusAndCode(spent)).toEqual([429, 1061045]);
      expect(afterReset.status).toBe(200);
    } finally {
      await quotaOnly.close();
    }
  });

  it('starts a new day of the quota at midnight UTC+8 (16:00 UTC), even where it counts sliding windows', () => {
    // Prepare
    const limiter = new RateLimitCounter('sliding');
    const day = [{ ms: 24 * 3600_000, limit: 1, offsetMs: 8 * 3600_000 }];
    const lastSecondOfDay = Date.parse('2026-12-01T15:59:59.000Z');

    // Act
    const first = limiter.take('driveMedia', day, lastSecondOfDay);
    const sameDay = limiter.take('driveMedia', day, lastSecondOfDay + 500);
    const nextDay = limiter.take('driveMedia', day, Date.parse('2026-12-01T16:00:00.000Z'));

    // Assess
    expect(first).toEqual({ allowed: true });
    expect(sameDay).toEqual({ allowed: false, limit: 1, resetSeconds: 1 });
    expect(nextDay).toEqual({ allowed: true });
  });
});
