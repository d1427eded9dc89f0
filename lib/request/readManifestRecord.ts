import type { EndpointDescription } from '../endpoints';
import type { S3Notice } from './readS3Notification';

/** Where manifests are dropped, and where their results appear: `requests/{kind}/…`, `results/{kind}/…`. */
export const MANIFEST_PREFIX = 'requests/';
export const RESULTS_PREFIX = 'results/';
/**
 * The folder, inside `requests/{kind}/`, of manifests for the kind's state machine: its
 * Distributed Map reads them whatever their size, so the notification leaves them alone rather
 * than run them a second time.
 */
export const STATE_MACHINE_FOLDER = 'state-machine/';

/** The longest key S3 holds, in bytes; also the most of a refused key shown in a log line or an answer. */
const MAX_KEY_BYTES = 1024;

/** One S3 notification, once read: a manifest of this function to run, or why it is not run. */
export type ManifestRecord =
  | { run: true; bucket: string; manifest: string; name: string; results: string }
  | { run: false; manifest: string; reason: string };

/**
 * Reads what an S3 notification says of one object, whatever brought it (see S3Notice), as a
 * manifest of this function, checking everything before anything is read or written: that it
 * names an object at all, created, in the function's own bucket, under a key with no empty, `.`
 * or `..` segment (which URL handling anywhere could fold into another key), under
 * `requests/{kind}/` and outside the state machine's folder; and the results key derived from
 * it, `results/{kind}/{name without its extension}.json`.
 *
 * @example
 * readManifestRecord({ bucket: 'images', key: 'requests/im/a.jsonl', created: true }, im, 'images');
 * // { run: true, manifest: 'requests/im/a.jsonl', results: 'results/im/a.json', … }
 */
export function readManifestRecord(notice: S3Notice, endpoint: EndpointDescription, ownBucket: string): ManifestRecord {
  if ('unreadable' in notice) return { run: false, manifest: shown(notice.key), reason: notice.unreadable };
  const { bucket, key: manifest, created } = notice;
  const refuse = (reason: string): ManifestRecord => ({ run: false, manifest: shown(manifest), reason });

  const folder = `${MANIFEST_PREFIX}${endpoint.kind}/`;
  if (!created) return refuse(`not a manifest of the ${endpoint.functionName} function (${folder}<name>, created)`);
  if (bucket !== ownBucket) return refuse("the record names another bucket than the function's own (IMAGE_BUCKET)");
  const name = manifest.startsWith(folder) ? manifest.slice(folder.length) : '';
  if (name === '' || name.endsWith('/'))
    return refuse(`not a manifest of the ${endpoint.functionName} function (${folder}<name>, created)`);
  if (hasFoldableSegment(manifest)) return refuse("the key holds an empty, '.' or '..' segment");
  if (name.startsWith(STATE_MACHINE_FOLDER)) {
    return refuse(`a manifest for the state machine (${folder}${STATE_MACHINE_FOLDER}), which runs it when started`);
  }

  const results = `${RESULTS_PREFIX}${endpoint.kind}/${name.replace(/\.[^./]*$/, '')}.json`;
  if (hasFoldableSegment(results) || Buffer.byteLength(results) > MAX_KEY_BYTES) {
    return refuse(`its results key would not be a plain key under ${RESULTS_PREFIX}${endpoint.kind}/`);
  }
  return { run: true, bucket, manifest, name, results };
}

function hasFoldableSegment(key: string): boolean {
  return key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
}

/**
 * A key as logs and answers show it: it names an object in the function's own bucket, but its length
 * is the sender's choice.
 */
function shown(key: string): string {
  return key.length > MAX_KEY_BYTES ? `${key.slice(0, MAX_KEY_BYTES)}…` : key;
}
