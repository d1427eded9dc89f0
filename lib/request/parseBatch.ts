import type { BatchEntry } from './BatchEntry';
import type { EndpointDescription } from '../endpoints';
import { invalidRequest, MirrorError } from '../errors/MirrorError';
import type { Settings } from '../settings/Settings';
import { parseDirectPayload } from './parseDirectPayload';
import {
  blockOptionNames,
  COMMON_OPTIONS,
  describeType,
  readBoolean,
  readExpiresIn,
  refuseUnknown,
} from './readFields';

/** Whether an input is a batch, `{"items": [...]}`, rather than a single payload. */
export function isBatch(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && Object.hasOwn(input, 'items');
}

/**
 * Reads a batch such as `{"items": [{"imageKey": "a"}, {"imageKey": "b", "refresh": true}], "refresh": false}`.
 * A batch that is wrong as a whole (unknown fields, `items` not an array, a bad batch-wide
 * option, more than `maxItems` items) is an INVALID_REQUEST; a bad item becomes that item's
 * error and spoils nothing else. Batches answered by the invocation itself hold at most
 * BATCH_MAX_ITEMS; an S3 manifest, whose answer goes to S3, passes its own limit.
 * An option given on an item wins over the batch's.
 *
 * @example
 * parseBatch({ items: [{ imageKey: 'img_v3_01' }], expiresIn: 600 }, im, settings);
 */
export function parseBatch(
  batch: Readonly<Record<string, unknown>>,
  endpoint: EndpointDescription,
  settings: Settings,
  maxItems: number = settings.batchMaxItems,
): BatchEntry[] {
  refuseUnknown(batch, ['items', ...COMMON_OPTIONS, ...blockOptionNames(endpoint)], 'batch field');
  const { items } = batch;
  if (!Array.isArray(items)) throw invalidRequest(`items must be an array of payloads, not ${describeType(items)}`);
  refuseTooManyItems(
    items.length,
    `${maxItems} (BATCH_MAX_ITEMS) are answered in one invocation, ` +
      'whose answer Lambda returns up to 6 MB and Step Functions carries up to 256 KiB; ' +
      `send larger ones as an S3 manifest under requests/${endpoint.kind}/`,
    maxItems,
  );
  return parseBatchItems(
    items,
    batchOptions(batch, endpoint, settings),
    endpoint,
    settings,
    (index) => `item ${index + 1}`,
  );
}

/**
 * Refuses a batch of more than `maxItems` items before any call, with a message saying how many
 * are allowed (`limit`, which names the limit and why it holds) and where larger ones go.
 */
export function refuseTooManyItems(count: number, limit: string, maxItems: number): void {
  if (count > maxItems) throw invalidRequest(`the batch has ${count} items; at most ${limit}`);
}

/** The batch-wide options, checked as strictly as an item's, keeping only those given. */
export function batchOptions(
  batch: Readonly<Record<string, unknown>>,
  endpoint: EndpointDescription,
  settings: Settings,
): Record<string, unknown> {
  const names = [...COMMON_OPTIONS, ...blockOptionNames(endpoint)];
  for (const name of names) if (name !== 'expiresIn') readBoolean(name, batch[name]);
  readExpiresIn(batch.expiresIn, settings.presignExpiresSeconds, settings.presignMaxSeconds);
  return Object.fromEntries(names.filter((name) => batch[name] !== undefined).map((name) => [name, batch[name]]));
}

/**
 * Reads each item as a direct payload under the batch's options; an item's failure is kept
 * in its place with `label` (e.g. "item 3", "line 7") in front of its message.
 */
export function parseBatchItems(
  items: readonly unknown[],
  options: Readonly<Record<string, unknown>>,
  endpoint: EndpointDescription,
  settings: Settings,
  label: (index: number) => string,
): BatchEntry[] {
  return items.map((item, index) => {
    try {
      const fields = typeof item === 'object' && item !== null && !Array.isArray(item) ? { ...options, ...item } : item;
      return parseDirectPayload(fields, endpoint, settings);
    } catch (error) {
      if (!(error instanceof MirrorError)) throw error;
      return new MirrorError(error.code, `${label(index)}: ${error.message}`);
    }
  });
}
