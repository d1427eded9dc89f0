import type { EndpointDescription } from '../endpoints';

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

/** One S3 notification record, once read: a manifest of this function to run, or why it is not run. */
export type ManifestRecord =
  | { run: true; bucket: string; manifest: string; name: string; results: string }
  | { run: false; manifest: string; reason: string };

/**
 * Reads one record of an S3 notification as a manifest of this function, checking everything
 * before anything is read or written: the record's shape, its bucket (the function's own only),
 * its key (valid percent-encoding; no empty, `.` or `..` segment, which URL handling anywhere
 * could fold into another key; under `requests/{kind}/`, outside the state machine's folder) and
 * the results key derived from it,
 * `results/{kind}/{name without its extension}.json`.
 *
 * @example
 * readManifestRecord(record, im, 'images');
 * // { run: true, manifest: 'requests/im/a.jsonl', results: 'results/im/a.json', … }
 */
export function readManifestRecord(record: unknown, endpoint: EndpointDescription, ownBucket: string): ManifestRecord {
  const fields = notification(record);
  if (fields === undefined) {
    return {
      run: false,
      manifest: '',
      reason: 'the record is no S3 notification record (it lacks eventName, s3.bucket.name or s3.object.key)',
    };
  }
  const { eventName, bucket, rawKey } = fields;
  let manifest: string;
  try {
    // Keys in notifications are URL-encoded, with '+' for a space.
    manifest = decodeURIComponent(rawKey.replace(/\+/g, ' '));
  } catch {
    return { run: false, manifest: shown(rawKey), reason: 'the key in the record is not valid percent-encoding' };
  }
  const refuse = (reason: string): ManifestRecord => ({ run: false, manifest: shown(manifest), reason });

  const folder = `${MANIFEST_PREFIX}${endpoint.kind}/`;
  if (!eventName.startsWith('ObjectCreated:'))
    return refuse(`not a manifest of the ${endpoint.functionName} function (${folder}<name>, created)`);
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

function notification(record: unknown): { eventName: string; bucket: string; rawKey: string } | undefined {
  const { eventName, s3 } = (typeof record === 'object' && record !== null ? record : {}) as {
    eventName?: unknown;
    s3?: unknown;
  };
  const { bucket, object } = (typeof s3 === 'object' && s3 !== null ? s3 : {}) as {
    bucket?: { name?: unknown };
    object?: { key?: unknown };
  };
  const name = typeof bucket === 'object' && bucket !== null ? bucket.name : undefined;
  const key = typeof object === 'object' && object !== null ? object.key : undefined;
  if (typeof eventName !== 'string' || typeof name !== 'string' || typeof key !== 'string') return undefined;
  return { eventName, bucket: name, rawKey: key };
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
