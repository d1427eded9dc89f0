/**
 * Which docx documents the blocks endpoint serves, decided by the document id, so that every
 * test can ask for a document of any size without building it.
 *
 * First matching rule wins (after the credentials and the rate limit):
 * - not `^[A-Za-z0-9_-]{1,256}$`: 400/1770001
 * - `err-<code>`, `err-http-5NN`: that error, as for the downloads (planContent.ts), e.g.
 *   `err-1770002` 404, `err-1770032` 403; the internal code of `err-http-5NN` is 1
 * - starts `useronly`, tenant token: 403/1770032; a user token reads it (as below)
 * - registered with `addDocument(documentId, blocks, ending)`: those blocks (documentBlocks.ts),
 *   their listing ending as `ending` says (ListingEnd)
 * - starts `useronly`: the layout of the sample document, with this id's tokens
 * - `docgen-<images>-<boards>-<texts>` (each at most 50,000), e.g. `docgen-600-3-100`: a generated
 *   document of that many image (27), whiteboard (43) and text (2) blocks, interleaved evenly
 *   (at each step the kind furthest behind its share comes next; ties: text, image, whiteboard).
 *   Image n (from 1) stands alone, except: n % 10 = 3 inside a callout (19); n % 10 = 7 in the
 *   first column of a two-column grid (24, 25); n % 10 = 9 inside a callout in the first column
 *   of such a grid. `docgen-600-3-100` is 1,184 blocks with the page block, three pages of 500.
 * - `doxgenw<count>x<n>`, `doxgenf<count>x<n>`, the documents of generated wiki spaces and Drive
 *   folders (servedSpaces.ts): a text and an image, then a whiteboard when n % 5 = 0
 * - `doxcnQ8dUQhV1vcTdEYZhzBbWkb`, the sample for the README and `npm start`: a heading text, an
 *   image, a text, a whiteboard, a callout holding a text and an image, then an image
 * - anything else: 404/1770002
 *
 * In generated and sample documents, image tokens are `boxcn<documentId without dashes>i<n>` and
 * whiteboard tokens `wbcn<documentId without dashes>w<n>`, n from 1 in document order; text n
 * reads `Paragraph <n>`. They start `boxcn` or `wbcn` and hold only the id's letters and digits,
 * so no token triggers a rule of planContent.ts or fileNames.ts (a test checks it for
 * `docgen-600-3-100`): the media endpoint serves each image token the token's PNG, and the
 * whiteboard endpoint each whiteboard token its PNG.
 */
import { type DocumentBlockInput, documentBlocks, type FeishuBlock } from './documentBlocks';
import { listedDocumentNumber } from './servedSpaces';

/**
 * How the listing of a registered document ends after its last block: as Feishu's does
 * (`ends`, the default: the last page says `has_more: false`), or never, as a faulty Feishu's
 * might. `cycles`: the last page says `has_more` and gives the token of the second page again,
 * so that a client following it reads pages 2, 3, …, the last, 2, 3, … (A → B → A with three
 * pages); it needs at least three pages. `empty-pages`: past the last block every page is
 * empty, says `has_more` and gives a page token never given before.
 */
export type ListingEnd = 'ends' | 'cycles' | 'empty-pages';

/** The id of the fixed sample document. */
export const sampleDocumentId = 'doxcnQ8dUQhV1vcTdEYZhzBbWkb';

/** The most blocks of one kind a generated document holds; more answer 404/1770002. */
export const generatedKindMax = 50_000;

/** How many blocks of each kind a generated document holds. */
interface GeneratedCounts {
  images: number;
  boards: number;
  texts: number;
}

function parseGeneratedId(documentId: string): GeneratedCounts | undefined {
  const match = /^docgen-(\d{1,5})-(\d{1,5})-(\d{1,5})$/.exec(documentId);
  if (match === null) return undefined;
  const [images, boards, texts] = match.slice(1).map(Number) as [number, number, number];
  if (Math.max(images, boards, texts) > generatedKindMax) return undefined;
  return { images, boards, texts };
}

/** The token of image n of a generated or sample document. */
export function imageTokenOf(documentId: string, n: number): string {
  return `boxcn${documentId.replaceAll('-', '')}i${n}`;
}

/** The token of whiteboard n of a generated or sample document. */
export function whiteboardTokenOf(documentId: string, n: number): string {
  return `wbcn${documentId.replaceAll('-', '')}w${n}`;
}

/** Places image n in its container, if any (see the header). */
function placedImage(image: DocumentBlockInput, n: number): DocumentBlockInput {
  switch (n % 10) {
    case 3:
      return { type: 'callout', children: [image] };
    case 7:
      return { type: 'grid', columns: [[image], []] };
    case 9:
      return { type: 'grid', columns: [[{ type: 'callout', children: [image] }], []] };
    default:
      return image;
  }
}

function generatedLayout(documentId: string, counts: GeneratedCounts): DocumentBlockInput[] {
  const state: { kind: 'text' | 'image' | 'whiteboard'; count: number; emitted: number }[] = [
    { kind: 'text', count: counts.texts, emitted: 0 },
    { kind: 'image', count: counts.images, emitted: 0 },
    { kind: 'whiteboard', count: counts.boards, emitted: 0 },
  ];
  const total = counts.images + counts.boards + counts.texts;
  const layout: DocumentBlockInput[] = [];
  for (let step = 1; step <= total; step++) {
    // Integer arithmetic (deficits scaled by total) keeps the layout exact on every platform.
    const next = state.reduce((best, k) =>
      k.count * step - k.emitted * total > best.count * step - best.emitted * total ? k : best,
    );
    next.emitted += 1;
    const n = next.emitted;
    if (next.kind === 'text') layout.push({ type: 'text', text: `Paragraph ${n}` });
    else if (next.kind === 'whiteboard') layout.push({ type: 'whiteboard', token: whiteboardTokenOf(documentId, n) });
    else layout.push(placedImage({ type: 'image', token: imageTokenOf(documentId, n) }, n));
  }
  return layout;
}

function sampleLayout(documentId: string): DocumentBlockInput[] {
  return [
    { type: 'text', text: 'Architecture overview' },
    { type: 'image', token: imageTokenOf(documentId, 1), width: 1280, height: 720 },
    { type: 'text', text: 'The whiteboard below is the team’s current plan.' },
    { type: 'whiteboard', token: whiteboardTokenOf(documentId, 1) },
    {
      type: 'callout',
      children: [
        { type: 'text', text: 'Note: the diagram inside this callout is nested.' },
        { type: 'image', token: imageTokenOf(documentId, 2), width: 800, height: 600 },
      ],
    },
    { type: 'image', token: imageTokenOf(documentId, 3), width: 640, height: 480 },
  ];
}

/**
 * The documents the sandbox serves: those tests registered, then the ones named by their id
 * (see the header), each laid out once and kept. Page tokens it issued are kept per document.
 *
 * @example
 * const documents = new ServedDocuments();
 * documents.blocksOf('docgen-2-1-1')?.length; // 5 with the page block
 */
export class ServedDocuments {
  readonly #registered = new Map<string, FeishuBlock[]>();
  readonly #endings = new Map<string, ListingEnd>();
  readonly #named = new Map<string, FeishuBlock[]>();
  /** `documentId` → page token → the index of the first block of that page. */
  readonly #pageTokens = new Map<string, Map<string, number>>();

  /** Serves these blocks under this id from now on, their listing ending as `ending` says. */
  add(documentId: string, inputs: readonly DocumentBlockInput[], ending: ListingEnd = 'ends'): void {
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(documentId)) throw new Error(`not a document id: '${documentId}'`);
    this.#registered.set(documentId, documentBlocks(documentId, documentId, inputs));
    this.#endings.set(documentId, ending);
    this.#pageTokens.delete(documentId);
  }

  /** How the listing of a document ends (`ends` for every document not registered otherwise). */
  endingOf(documentId: string): ListingEnd {
    return this.#endings.get(documentId) ?? 'ends';
  }

  /** How many page tokens were issued for a document since the last reset. */
  pageTokensIssued(documentId: string): number {
    return this.#pageTokens.get(documentId)?.size ?? 0;
  }

  /** The blocks of a document in the order the endpoint answers them, or undefined when there is none. */
  blocksOf(documentId: string): readonly FeishuBlock[] | undefined {
    const registered = this.#registered.get(documentId);
    if (registered !== undefined) return registered;
    const known = this.#named.get(documentId);
    if (known !== undefined) return known;
    const layout = this.#layoutOf(documentId);
    if (layout === undefined) return undefined;
    const blocks = documentBlocks(documentId, documentId, layout);
    this.#named.set(documentId, blocks);
    return blocks;
  }

  #layoutOf(documentId: string): DocumentBlockInput[] | undefined {
    if (documentId.startsWith('useronly') || documentId === sampleDocumentId) return sampleLayout(documentId);
    const listed = listedDocumentNumber(documentId);
    if (listed !== undefined)
      return generatedLayout(documentId, { images: 1, boards: listed % 5 === 0 ? 1 : 0, texts: 1 });
    const counts = parseGeneratedId(documentId);
    return counts === undefined ? undefined : generatedLayout(documentId, counts);
  }

  /** Remembers a page token handed out for a document. */
  issuePageToken(documentId: string, pageToken: string, firstIndex: number): void {
    const tokens = this.#pageTokens.get(documentId) ?? new Map<string, number>();
    tokens.set(pageToken, firstIndex);
    this.#pageTokens.set(documentId, tokens);
  }

  /** The first page token issued for this document since the last reset: the second page's. */
  firstPageToken(documentId: string): string | undefined {
    const [first] = this.#pageTokens.get(documentId)?.keys() ?? [];
    return first;
  }

  /** Where the page of a token the sandbox issued for this document starts; undefined for any other token. */
  pageStartOf(documentId: string, pageToken: string): number | undefined {
    return this.#pageTokens.get(documentId)?.get(pageToken);
  }

  /** Forgets the page tokens issued; the documents stay. */
  forgetPageTokens(): void {
    this.#pageTokens.clear();
  }
}
