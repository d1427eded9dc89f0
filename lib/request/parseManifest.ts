import type { BatchEntry } from './BatchEntry';
import type { EndpointDescription } from '../endpoints';
import { invalidRequest, MirrorError } from '../errors/MirrorError';
import type { Settings } from '../settings/Settings';
import { isBatch, parseBatch, parseBatchItems } from './parseBatch';
import { describeType } from './readFields';

/**
 * Reads an S3 manifest: JSON Lines (`.jsonl`, `.ndjson`), one payload per line, where a line
 * that is not JSON becomes that line's error and the good lines still run; or else one JSON
 * batch, `{"items": [...]}`, which must be valid as a whole. Blank lines are skipped, so the
 * results follow the lines that hold something, each error naming its line.
 *
 * @example
 * parseManifest('{"imageKey":"a"}\n{"imageKey":"b"}\n', 'export.jsonl', im, settings);
 */
export function parseManifest(
  text: string,
  name: string,
  endpoint: EndpointDescription,
  settings: Settings,
): BatchEntry[] {
  if (/\.(jsonl|ndjson)$/i.test(name)) return parseJsonLines(text, endpoint, settings);
  let batch: unknown;
  try {
    batch = JSON.parse(text) as unknown;
  } catch {
    throw invalidRequest(
      'the manifest is not valid JSON; a .json manifest holds one batch, {"items": [...]}, ' +
        'and a .jsonl one a payload per line',
    );
  }
  if (!isBatch(batch))
    throw invalidRequest(
      `a .json manifest must be a batch, {"items": [...]}, not ${describeType(batch)} without items`,
    );
  // Its answer is written to S3, not returned: MANIFEST_MAX_BYTES bounds it, not BATCH_MAX_ITEMS.
  return parseBatch(batch, endpoint, settings, Infinity);
}

function parseJsonLines(text: string, endpoint: EndpointDescription, settings: Settings): BatchEntry[] {
  const lines = text
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '');
  const values = lines.map(({ line }): unknown => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return NOT_JSON;
    }
  });
  return parseBatchItems(values, {}, endpoint, settings, (index) => `line ${lines[index]!.number}`).map(
    (entry, index) =>
      values[index] === NOT_JSON
        ? new MirrorError(
            'INVALID_REQUEST',
            `line ${lines[index]!.number}: not valid JSON; each line must hold one payload`,
          )
        : entry,
  );
}

const NOT_JSON = Symbol('not JSON');
