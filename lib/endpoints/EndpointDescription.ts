import type { ImageKind } from '.';

/**
 * Everything the product knows about one Feishu image endpoint. Routes, keys, token rules,
 * headers, cache policy, messages and limits are all derived from these descriptions, and so is
 * the endpoint's part of the stack (its function, events, queues, outputs and settings:
 * stack/generateStack.ts). Adding an endpoint means adding one of them to `ENDPOINTS`, plus its
 * two-line function file, its codes in the Feishu error table and its sandbox answers.
 *
 * `Kind` is the endpoint's own kind while a description is written (`as const satisfies
 * EndpointDescription<string>`), and any of `ImageKind` where descriptions are used (a place's:
 * `EndpointDescription<PlaceKind>`).
 */
export type EndpointDescription<Kind extends string = ImageKind> = EndpointFacts<Kind> & ScheduledRefresh;

interface EndpointFacts<Kind extends string> {
  kind: Kind;
  /** The function's name in the stack; its file is `functions/{functionName}.ts`. */
  functionName: string;
  /** What the function mirrors, in its Lambda description: "Mirrors {mirrors} into S3 and answers with …". */
  mirrors: string;
  /** What one image is called in messages, e.g. "whiteboard thumbnail". */
  noun: string;
  /** The ids, under their payload names, in the order they appear in paths and keys. */
  ids: readonly string[];
  /**
   * Ids a caller may add that tell Feishu where the image lives, so that the app's access to
   * that place counts: payload fields, or query parameters over HTTP, checked like `ids`. They
   * are not part of the image's name: its key, and what a stored copy answers, stay the same.
   */
  placeIds?: readonly string[];
  /** The query parameters of the Feishu call that the given `placeIds` become. */
  feishuQuery?: (place: Readonly<Record<string, string>>) => Record<string, string>;
  /** The HTTP route of our API, with `{id}` placeholders named as in `ids`. */
  route: string;
  /** The Feishu path, with the same placeholders. */
  feishuPath: string;
  /** The app scope Feishu requires, where the platform documents it; named when it is missing. */
  scope?: string;
  /** Whether a caller's own user_access_token may be used instead of the tenant token. */
  acceptsUserToken: boolean;
  /** Whether calls need the `X-Lark-Helpdesk-Authorization` header. */
  helpdeskAuth: boolean;
  /** Whether an id always names the same bytes, so a stored copy can answer. */
  immutable: boolean;
  /** Feishu's documented rate limit for the endpoint, per app. */
  rateLimit: RateLimit;
  /**
   * For an endpoint whose call lists a document's blocks rather than serving an image: which
   * blocks are images, and through which endpoint each is mirrored.
   */
  document?: DocumentContents;
  /**
   * For an endpoint whose call lists a place holding documents (a wiki space, a Drive folder):
   * how its listing reads, and which endpoint mirrors each document found.
   */
  folder?: FolderContents;
  /** What Feishu's codes mean on this endpoint, where the error table's words are another endpoint's. */
  codeMeanings?: Readonly<Record<number, string>>;
}

/**
 * What a place endpoint lists: one parent's children a page at a time, descending into those
 * that have children of their own, and the documents among them, each mirrored through the
 * document endpoint as if called directly.
 */
export interface FolderContents {
  /** Items asked for per page (Feishu's largest page). */
  pageSize: number;
  /** The query parameter naming the parent listed. */
  parentQuery: string;
  /**
   * The parent listed first, from the source: `undefined` lists the place's top level without
   * the parent parameter (a wiki space), a token lists that one (a Drive folder, a wiki node).
   */
  start(source: Readonly<Record<string, string>>): string | undefined;
  /** The field of `data` holding the page's items (`items`, `files`). */
  itemsField: string;
  /** The field of `data` holding the next page's token (`page_token`, `next_page_token`). */
  nextPageField: string;
  /** What one listed item is: a document, a parent to list, both, or neither. */
  read(item: Readonly<Record<string, unknown>>): FolderItem;
  /** The endpoint that mirrors each document found. */
  endpoint: EndpointDescription<string>;
  /** The deepest a place nests: nothing deeper is listed, so that no answer of Feishu's can loop. */
  maxDepth: number;
}

/** One listed item of a place, as the listing uses it. */
export interface FolderItem {
  /** The docx document it is (or a shortcut points at), with when it was last edited (seconds). */
  document?: { documentId: string; title: string; editTime?: number };
  /** The token whose children are listed next, for an item that has children and is no shortcut. */
  children?: string;
}

/** What a document endpoint reads: its blocks, a page at a time, and the image blocks among them. */
export interface DocumentContents {
  /** Blocks asked for per page (Feishu's largest page). */
  pageSize: number;
  blocks: readonly ImageBlock[];
}

/** One type of block that holds an image, and how it is mirrored. */
export interface ImageBlock {
  /** Feishu's `block_type`, e.g. 27 for an image. */
  blockType: number;
  /** Its name in answers (`blockType: "image"`). */
  name: string;
  /** The block's field that holds `{ token }`, e.g. `image` or `board`. */
  field: string;
  /** The endpoint that mirrors it: its key, cache and rate limit apply as if called directly. */
  endpoint: EndpointDescription<string>;
  /** The payload for that endpoint: the block's token in the document. */
  payload(token: string, documentId: string): Record<string, string>;
  /** A boolean option, on unless set false, that leaves these blocks out. */
  option?: string;
}

/**
 * Feishu's limit of calls to one endpoint, per app: per second and per minute (the gateway's
 * windows, aligned to the clock), and a daily quota (a Feishu day runs from midnight in UTC+8).
 */
export interface RateLimit {
  perSecond: number;
  perMinute?: number;
  perDay?: number;
}

/** A shipped schedule sends no input, so it needs the setting that lists what it refreshes. */
type ScheduledRefresh =
  | { scheduledIdsSetting?: undefined; schedule?: undefined }
  | {
      /** The setting listing the ids a scheduled event without input refreshes. */
      scheduledIdsSetting: string;
      /** The EventBridge schedule the stack ships for the endpoint, e.g. `{ rate: 'rate(1 hour)', enabled: false }`. */
      schedule?: { rate: string; enabled: boolean };
    };
