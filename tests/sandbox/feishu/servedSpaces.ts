/**
 * The wiki spaces and Drive folders the sandbox serves, generated from their id so that a test
 * can ask for a space of any size without building it, in the answer shapes of
 * docs/feishu-platform.md ("Whole spaces").
 *
 * Wiki spaces, `GET /open-apis/wiki/v2/spaces/:space_id/nodes`, first matching rule wins (after
 * the credentials and the rate limit):
 * - `err-<code>`, `err-http-5NN`: that error, as for the downloads (planContent.ts), e.g.
 *   `err-131006` 400 (the app is no member of the space); the internal code of `err-http-5NN` is 131007
 * - `wikigen-<nodes>` (at most 50,000): nodes numbered 1 to `nodes` breadth first, the first 120
 *   on the top level and every later node n the child of node `(n - 121) / 2 + 1` (integer
 *   division): two children a node, five levels from 1,801 nodes. Node n is `wikcn<nodes>x<n>`;
 *   its `obj_type` is `docx` when n % 3 = 1 (its `obj_token` `doxgenw<nodes>x<n>`), else one of
 *   `sheet`, `doc`, `mindnote`, `bitable`, `file`, `slides` by n / 3 (integer division). A node
 *   without children whose n % 97 = 0 is a shortcut to the docx node before it; n % 97 = 50, a
 *   shortcut to its parent's parent (an ancestor, its `has_child` true: following it into its
 *   children would loop; node 1 when it has none). `obj_edit_time` is `1765000000 + 60 n` until
 *   `editDocument` changes it.
 * - anything else: 400/131005
 * A `parent_node_token` of another space, or not a node of this one, is 400/131005.
 *
 * Drive folders, `GET /open-apis/drive/v1/files?folder_token=…`:
 * - `err-<code>`, `err-http-5NN` as above (internal code 1061001)
 * - `fldgen-<files>` (at most 50,000): files numbered 1 to `files`, the first 450 in the root
 *   folder and the others four to a sub-folder, in order: file n with n % 4 = 0 is a folder
 *   (`fldgen<files>x<n>`), and the k-th folder (file 4k) holds files 451 + 4(k - 1) to 450 + 4k.
 *   n % 4 = 1 is a docx document (`doxgenf<files>x<n>`); n % 8 = 3 a docx, n % 8 = 7 a `file`;
 *   n % 8 = 2 a sheet; n % 8 = 6 a shortcut to the docx before it, except n % 40 = 6, a shortcut
 *   to the folder holding it (an ancestor). `modified_time` as wiki's `obj_edit_time`.
 * - anything else: 404/1061003
 *
 * Listings page by `page_size` (wiki 1 to 50, default 50, else 131002; Drive 1 to 200, default
 * 200, else 1064001). A listing longer than one page has an empty page, saying `has_more`,
 * after each full page, as Feishu's permission filter leaves them; a folder or node whose number
 * is a multiple of 5 (and every top level) starts with one. The generated documents
 * (`doxgen…x<n>`) are served by the blocks endpoint (servedDocuments.ts): a text, an image, and
 * a whiteboard when n % 5 = 0.
 */

/** The most nodes or files a generated space or folder holds. */
export const generatedListingMax = 50_000;

/** How many nodes sit on a generated wiki space's top level, and files in a generated root folder. */
export const wikiTopLevel = 120;
export const driveRootFiles = 450;

/** The first `obj_edit_time` and `modified_time` of generated nodes and files: node n's is this plus 60 n. */
const baseEditTime = 1_765_000_000;

const otherWikiTypes = ['sheet', 'doc', 'mindnote', 'bitable', 'file', 'slides'] as const;

/** A node as `GET /open-apis/wiki/v2/spaces/:space_id/nodes` answers it. */
export interface WikiNode {
  space_id: string;
  node_token: string;
  obj_token: string;
  obj_type: string;
  parent_node_token: string;
  node_type: 'origin' | 'shortcut';
  origin_node_token: string;
  origin_space_id: string;
  has_child: boolean;
  title: string;
  obj_create_time: string;
  obj_edit_time: string;
  node_create_time: string;
}

/** A file as `GET /open-apis/drive/v1/files` answers it. */
export interface DriveFile {
  token: string;
  name: string;
  type: string;
  parent_token: string;
  url: string;
  created_time: string;
  modified_time: string;
  owner_id: string;
  shortcut_info?: { target_type: string; target_token: string };
}

/** One page of a listing: the items, and the token of the next page when there is one. */
export interface ListingPage<Item> {
  items: Item[];
  pageToken?: string;
}

/** Why a listing cannot be answered: the id is unknown, or the page token is not one issued. */
export type ListingRefusal = 'notFound' | 'badPageToken';

/** The number of a generated space's or folder's id, e.g. 2000 of `wikigen-2000`. */
function generatedCount(id: string, prefix: string): number | undefined {
  const match = new RegExp(`^${prefix}-(\\d{1,5})$`).exec(id);
  if (match === null) return undefined;
  const count = Number(match[1]);
  return count >= 1 && count <= generatedListingMax ? count : undefined;
}

/** The wiki node n's parent, 0 for the top level. */
function wikiParentOf(n: number): number {
  return n <= wikiTopLevel ? 0 : Math.floor((n - wikiTopLevel - 1) / 2) + 1;
}

/** The numbers of a wiki node's children (0: the top level), within the space's `count`. */
function wikiChildrenOf(parent: number, count: number): number[] {
  const [first, last] = parent === 0 ? [1, wikiTopLevel] : [wikiTopLevel + 2 * parent - 1, wikiTopLevel + 2 * parent];
  const children: number[] = [];
  for (let n = first; n <= Math.min(last, count); n++) children.push(n);
  return children;
}

/** The Drive file n's folder, 0 for the root. */
function driveParentOf(n: number): number {
  return n <= driveRootFiles ? 0 : 4 * (Math.floor((n - driveRootFiles - 1) / 4) + 1);
}

function driveChildrenOf(folder: number, count: number): number[] {
  if (folder !== 0 && folder % 4 !== 0) return [];
  const k = folder / 4;
  const [first, last] = folder === 0 ? [1, driveRootFiles] : [driveRootFiles + 4 * (k - 1) + 1, driveRootFiles + 4 * k];
  const children: number[] = [];
  for (let n = first; n <= Math.min(last, count); n++) children.push(n);
  return children;
}

/** The pages of a listing: full pages with an empty page after each, and an empty first page where the header says. */
function pagesOf<Item>(items: readonly Item[], pageSize: number, emptyFirst: boolean): Item[][] {
  const pages: Item[][] = emptyFirst ? [[]] : [];
  for (let start = 0; start < items.length || pages.length === 0; start += pageSize) {
    if (start > 0) pages.push([]);
    pages.push(items.slice(start, start + pageSize));
    if (items.length === 0) break;
  }
  return pages;
}

/** A page token, `pg<k>x<parent>`: the sandbox issues them without keeping them. */
function pageTokenOf(page: number, parent: number): string {
  return `pg${page}x${parent}`;
}

function readPageToken(token: string | null, parent: number): number | undefined {
  if (token === null) return 0;
  const match = /^pg(\d{1,6})x(\d{1,6})$/.exec(token);
  return match !== null && Number(match[2]) === parent ? Number(match[1]) : undefined;
}

function pageAt<Item>(pages: readonly Item[][], page: number, parent: number): ListingPage<Item> | undefined {
  const items = pages[page];
  if (items === undefined) return undefined;
  return { items, ...(page + 1 < pages.length ? { pageToken: pageTokenOf(page + 1, parent) } : {}) };
}

/**
 * The generated wiki spaces and Drive folders, with the edit times tests changed.
 *
 * @example
 * const spaces = new ServedSpaces();
 * spaces.wikiPage('wikigen-2000', undefined, 50, null); // { items: [], pageToken: 'pg1x0' }: the empty first page
 */
export class ServedSpaces {
  /** Document id → its `obj_edit_time` / `modified_time` after `editDocument`, in seconds. */
  readonly #edited = new Map<string, number>();

  /** Makes a generated document look edited now: its node's or file's edit time becomes the current second. */
  editDocument(documentId: string): void {
    const now = Math.floor(Date.now() / 1000);
    this.#edited.set(documentId, Math.max(now, (this.#edited.get(documentId) ?? 0) + 1));
  }

  /** Forgets every edit. */
  forgetEdits(): void {
    this.#edited.clear();
  }

  #editTime(documentId: string, n: number): string {
    return String(this.#edited.get(documentId) ?? baseEditTime + 60 * n);
  }

  /**
   * A page of the nodes under `parentNodeToken` (the top level when undefined) of a generated
   * space, or why there is none.
   */
  wikiPage(
    spaceId: string,
    parentNodeToken: string | undefined,
    pageSize: number,
    pageToken: string | null,
  ): ListingPage<WikiNode> | ListingRefusal {
    const count = generatedCount(spaceId, 'wikigen');
    if (count === undefined) return 'notFound';
    let parent = 0;
    if (parentNodeToken !== undefined) {
      const match = /^wikcn(\d{1,5})x(\d{1,5})$/.exec(parentNodeToken);
      if (match === null || Number(match[1]) !== count || Number(match[2]) < 1 || Number(match[2]) > count) {
        return 'notFound';
      }
      parent = Number(match[2]);
    }
    const page = readPageToken(pageToken, parent);
    if (page === undefined) return 'badPageToken';
    const children = wikiChildrenOf(parent, count);
    const pages = pagesOf(children, pageSize, parent % 5 === 0 && children.length > 0);
    const listed = pageAt(pages, page, parent);
    if (listed === undefined) return 'badPageToken';
    return { ...listed, items: listed.items.map((n) => this.#wikiNode(spaceId, count, n)) };
  }

  #wikiNode(spaceId: string, count: number, n: number): WikiNode {
    const token = (m: number) => `wikcn${count}x${m}`;
    const parent = wikiParentOf(n);
    const leaf = wikiChildrenOf(n, count).length === 0;
    const origin = !leaf ? n : n % 97 === 0 ? n - 1 - ((n - 2) % 3) : n % 97 === 50 ? wikiParentOf(parent) : n;
    // A shortcut's object is its origin's; a shortcut to the top level (no grandparent) points at node 1.
    const target = origin === 0 ? 1 : origin;
    const docx = target % 3 === 1;
    const objToken = docx ? `doxgenw${count}x${target}` : `objcn${count}x${target}`;
    const created = String(baseEditTime + 60 * target - 30);
    return {
      space_id: spaceId,
      node_token: token(n),
      obj_token: objToken,
      obj_type: docx ? 'docx' : otherWikiTypes[Math.floor(target / 3) % otherWikiTypes.length]!,
      parent_node_token: parent === 0 ? '' : token(parent),
      node_type: target === n ? 'origin' : 'shortcut',
      origin_node_token: token(target),
      origin_space_id: spaceId,
      has_child: wikiChildrenOf(target, count).length > 0,
      title: `Node ${target}`,
      obj_create_time: created,
      obj_edit_time: this.#editTime(objToken, target),
      node_create_time: created,
    };
  }

  /** A page of the files of a generated folder (its root or a sub-folder), or why there is none. */
  drivePage(folderToken: string, pageSize: number, pageToken: string | null): ListingPage<DriveFile> | ListingRefusal {
    const sub = /^fldgen(\d{1,5})x(\d{1,5})$/.exec(folderToken);
    const count = sub === null ? generatedCount(folderToken, 'fldgen') : Number(sub[1]);
    if (count === undefined || count < 1 || count > generatedListingMax) return 'notFound';
    const folder = sub === null ? 0 : Number(sub[2]);
    if (folder > count || folder % 4 !== 0) return 'notFound';
    const page = readPageToken(pageToken, folder);
    if (page === undefined) return 'badPageToken';
    const children = driveChildrenOf(folder, count);
    const listed = pageAt(pagesOf(children, pageSize, folder % 5 === 0 && children.length > 0), page, folder);
    if (listed === undefined) return 'badPageToken';
    return { ...listed, items: listed.items.map((n) => this.#driveFile(folderToken, count, n)) };
  }

  #driveFile(rootOrFolder: string, count: number, n: number): DriveFile {
    const folderToken = (m: number) => (m === 0 ? `fldgen-${count}` : `fldgen${count}x${m}`);
    const docToken = (m: number) => `doxgenf${count}x${m}`;
    const parent = driveParentOf(n);
    const common = {
      parent_token: rootOrFolder,
      created_time: String(baseEditTime + 60 * n - 30),
      owner_id: 'ou_sandbox0000000000000000000000',
    };
    const file = (token: string, type: string, modified: string): DriveFile => ({
      ...common,
      token,
      name: `File ${n}`,
      type,
      url: `https://sandbox.feishu.cn/${type}/${token}`,
      modified_time: modified,
    });
    if (n % 4 === 0) return file(folderToken(n), 'folder', String(baseEditTime + 60 * n));
    if (n % 4 === 1 || n % 8 === 3) return file(docToken(n), 'docx', this.#editTime(docToken(n), n));
    if (n % 8 === 7) return file(`boxcnfile${count}x${n}`, 'file', String(baseEditTime + 60 * n));
    if (n % 8 === 2) return file(`shtcn${count}x${n}`, 'sheet', String(baseEditTime + 60 * n));
    const shortcut = file(`shortcut${count}x${n}`, 'shortcut', String(baseEditTime + 60 * n));
    const toFolder = n % 40 === 6;
    const target = toFolder ? folderToken(parent) : docToken(n - 1);
    return { ...shortcut, shortcut_info: { target_type: toFolder ? 'folder' : 'docx', target_token: target } };
  }
}

/**
 * The number of a generated document listed in a space or folder (`doxgenw<count>x<n>`,
 * `doxgenf<count>x<n>`), which chooses its layout; undefined for any other id.
 */
export function listedDocumentNumber(documentId: string): number | undefined {
  const match = /^doxgen[wf]\d{1,5}x(\d{1,5})$/.exec(documentId);
  return match === null ? undefined : Number(match[1]);
}
