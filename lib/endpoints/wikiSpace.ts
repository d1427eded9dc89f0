import { docx } from './docx';
import type { EndpointDescription, FolderItem } from './EndpointDescription';

/**
 * Every docx document of a wiki space, or of the nodes under one of its nodes: the space is
 * listed a level at a time (a node's children, 50 a page), descending into each node that has
 * children; a shortcut counts as the document it points at and is never descended, so that a
 * shortcut to an ancestor cannot loop. Each docx node's `obj_token` is mirrored through `docx`.
 */
export const wikiSpace = {
  kind: 'wiki-space',
  functionName: 'wikiSpaceImages',
  mirrors: 'every image and whiteboard of the docx documents of a Feishu wiki space',
  noun: 'wiki space',
  ids: ['spaceId'],
  placeIds: ['nodeToken'],
  route: '/wiki/spaces/{spaceId}/mirror',
  feishuPath: '/open-apis/wiki/v2/spaces/{spaceId}/nodes',
  scope: 'wiki:wiki:readonly',
  // Tenant token only: a run's input is kept in Step Functions' history, where a user token must not be.
  acceptsUserToken: false,
  helpdeskAuth: false,
  // A space changes as it is edited: it is listed on every run.
  immutable: false,
  // Documented as 100 calls a minute per app.
  rateLimit: { perSecond: 5, perMinute: 100 },
  folder: {
    pageSize: 50,
    parentQuery: 'parent_node_token',
    start: (source) => source.nodeToken,
    itemsField: 'items',
    nextPageField: 'page_token',
    read: readNode,
    endpoint: docx,
    // A space holds at most 50 levels.
    maxDepth: 50,
  },
  scheduledIdsSetting: 'SCHEDULED_WIKI_SPACE_IDS',
  schedule: { rate: 'rate(1 day)', enabled: false },
} as const satisfies EndpointDescription<string>;

/** A node: a docx document when its `obj_type` is `docx`, a parent when it `has_child` and is no shortcut. */
function readNode(item: Readonly<Record<string, unknown>>): FolderItem {
  const text = (field: string) => (typeof item[field] === 'string' ? (item[field] as string) : '');
  const editTime = Number(text('obj_edit_time'));
  const document =
    text('obj_type') === 'docx' && text('obj_token') !== ''
      ? { documentId: text('obj_token'), title: text('title'), ...(editTime > 0 ? { editTime } : {}) }
      : undefined;
  const parent = item.has_child === true && text('node_type') !== 'shortcut' && text('node_token') !== '';
  return { ...(document ? { document } : {}), ...(parent ? { children: text('node_token') } : {}) };
}
