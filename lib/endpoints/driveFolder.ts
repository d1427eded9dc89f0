import { docx } from './docx';
import type { EndpointDescription, FolderItem } from './EndpointDescription';

/**
 * Every docx document of a Drive folder and its sub-folders: each folder is listed 200 files a
 * page, descending into sub-folders; a shortcut to a docx document counts as that document, a
 * shortcut to anything else (a folder above it among them) is never followed. Each docx file's
 * `token` is mirrored through `docx`.
 */
export const driveFolder = {
  kind: 'drive-folder',
  functionName: 'driveFolderImages',
  mirrors: 'every image and whiteboard of the docx documents of a Feishu Drive folder',
  noun: 'Drive folder',
  ids: ['folderToken'],
  route: '/drive/folders/{folderToken}/mirror',
  feishuPath: '/open-apis/drive/v1/files',
  scope: 'drive:drive:readonly',
  // Tenant token only: a run's input is kept in Step Functions' history, where a user token must not be.
  acceptsUserToken: false,
  helpdeskAuth: false,
  immutable: false,
  // Documented as about 20 calls a second per app.
  rateLimit: { perSecond: 20 },
  codeMeanings: {
    1061003: 'the folder does not exist',
    1061004: 'the app may not read the folder: share it with the app',
    1061007: 'the folder was deleted',
  },
  folder: {
    pageSize: 200,
    parentQuery: 'folder_token',
    start: (source) => source.folderToken,
    itemsField: 'files',
    nextPageField: 'next_page_token',
    read: readFile,
    endpoint: docx,
    maxDepth: 50,
  },
  scheduledIdsSetting: 'SCHEDULED_DRIVE_FOLDER_IDS',
  schedule: { rate: 'rate(1 day)', enabled: false },
} as const satisfies EndpointDescription<string>;

/** A file: a docx document (itself or through a shortcut), or a folder to list. */
function readFile(item: Readonly<Record<string, unknown>>): FolderItem {
  const text = (field: string) => (typeof item[field] === 'string' ? (item[field] as string) : '');
  const type = text('type');
  const shortcut = item.shortcut_info as Record<string, unknown> | undefined;
  const target =
    type === 'docx'
      ? text('token')
      : type === 'shortcut' && shortcut?.target_type === 'docx' && typeof shortcut.target_token === 'string'
        ? shortcut.target_token
        : '';
  // A shortcut's own modified_time is not its document's: unknown, so it is mirrored on every run.
  const editTime = type === 'docx' ? Number(text('modified_time')) : 0;
  return {
    ...(target === ''
      ? {}
      : { document: { documentId: target, title: text('name'), ...(editTime > 0 ? { editTime } : {}) } }),
    ...(type === 'folder' && text('token') !== '' ? { children: text('token') } : {}),
  };
}
