import { createHash } from 'node:crypto';
import { pngSize } from './sampleImages';

/**
 * A block of a document as a test writes it for `addDocument`: leaves (text, image, whiteboard)
 * and containers holding their children in order. The sandbox derives `block_id` (unless given),
 * `parent_id` and `children`.
 */
export type DocumentBlockInput =
  | { type: 'text'; text: string; blockId?: string }
  | { type: 'image'; token: string; width?: number; height?: number; blockId?: string }
  | { type: 'whiteboard'; token: string; blockId?: string }
  | { type: 'callout'; children: readonly DocumentBlockInput[]; blockId?: string }
  /** A grid of columns, each column a list of blocks (a column may be empty). */
  | { type: 'grid'; columns: readonly (readonly DocumentBlockInput[])[]; blockId?: string };

/** The text of a page or text block: a run of plain text. */
interface TextBody {
  elements: { text_run: { content: string; text_element_style: Record<string, never> } }[];
  style: Record<string, never>;
}

/** A block as `GET /open-apis/docx/v1/documents/:document_id/blocks` answers it. */
export interface FeishuBlock {
  block_id: string;
  /** Empty for the page block. */
  parent_id: string;
  block_type: number;
  /** The ids of the block's children, in order; absent on a block without children. */
  children?: string[];
  page?: TextBody;
  text?: TextBody;
  image?: { token: string; width: number; height: number };
  board?: { token: string };
  callout?: { background_color: number; border_color: number };
  grid?: { column_size: number };
  grid_column?: { width_ratio: number };
}

/** The `block_type` numbers of docs/feishu-platform.md. */
export const blockTypes = { page: 1, text: 2, callout: 19, grid: 24, gridColumn: 25, image: 27, board: 43 } as const;

function textBody(content: string): TextBody {
  return { elements: [{ text_run: { content, text_element_style: {} } }], style: {} };
}

/** A block id shaped like the platform's (`doxcn` and 22 more characters), the same on every run. */
export function derivedBlockId(documentId: string, index: number): string {
  return `doxcn${createHash('sha256').update(`${documentId}#${index}`).digest('hex').slice(0, 22)}`;
}

/**
 * Lays out a document as the blocks endpoint answers it: the page block first (its id the
 * document's, its `parent_id` empty), then every block depth-first, each parent before its
 * children.
 *
 * @example
 * documentBlocks('doxcnA', 'Title', [{ type: 'image', token: 'boxcn1' }]).map((b) => b.block_type); // [1, 27]
 */
export function documentBlocks(
  documentId: string,
  title: string,
  inputs: readonly DocumentBlockInput[],
): FeishuBlock[] {
  const page: FeishuBlock = {
    block_id: documentId,
    parent_id: '',
    block_type: blockTypes.page,
    page: textBody(title),
  };
  const blocks: FeishuBlock[] = [page];

  function add(
    fields: Omit<FeishuBlock, 'block_id' | 'parent_id'>,
    parent: FeishuBlock,
    blockId?: string,
  ): FeishuBlock {
    const id = blockId ?? derivedBlockId(documentId, blocks.length);
    const block: FeishuBlock = { block_id: id, parent_id: parent.block_id, ...fields };
    parent.children ??= [];
    parent.children.push(block.block_id);
    blocks.push(block);
    return block;
  }

  function addAll(children: readonly DocumentBlockInput[], parent: FeishuBlock): void {
    for (const input of children) {
      switch (input.type) {
        case 'text':
          add({ block_type: blockTypes.text, text: textBody(input.text) }, parent, input.blockId);
          break;
        case 'image': {
          const image = {
            token: input.token,
            width: input.width ?? pngSize.width,
            height: input.height ?? pngSize.height,
          };
          add({ block_type: blockTypes.image, image }, parent, input.blockId);
          break;
        }
        case 'whiteboard':
          add({ block_type: blockTypes.board, board: { token: input.token } }, parent, input.blockId);
          break;
        case 'callout': {
          const callout = { block_type: blockTypes.callout, callout: { background_color: 2, border_color: 2 } };
          addAll(input.children, add(callout, parent, input.blockId));
          break;
        }
        case 'grid': {
          const grid = add(
            { block_type: blockTypes.grid, grid: { column_size: input.columns.length } },
            parent,
            input.blockId,
          );
          const widthRatio = Math.floor(100 / Math.max(1, input.columns.length));
          for (const column of input.columns)
            addAll(column, add({ block_type: blockTypes.gridColumn, grid_column: { width_ratio: widthRatio } }, grid));
          break;
        }
      }
    }
  }

  addAll(inputs, page);
  return blocks;
}
