import type { EndpointDescription } from '../endpoints';
import { invalidRequest } from '../errors/MirrorError';
import type { Settings } from '../settings/Settings';
import type { BatchEntry } from './BatchEntry';
import { batchOptions, parseBatchItems, refuseTooManyItems } from './parseBatch';
import { blockOptionNames, COMMON_OPTIONS, describeType, refuseUnknown } from './readFields';

/** Step Functions' largest state input or output, in bytes: a task's whole answer must fit in it. */
export const STEP_FUNCTIONS_PAYLOAD_BYTES = 256 * 1024;

/**
 * The longest answer of one item, in bytes, as measured with a 256-character id and a presigned
 * URL holding the role's session token (docs/triggers.md, "Batches").
 */
const ITEM_ANSWER_MAX_BYTES = 3_200;

/**
 * The share of Step Functions' payload a batch fills at most; the rest is for the envelope of
 * lambda:invoke's answer (status, headers) and for answers a little longer than measured.
 */
const PAYLOAD_SHARE = 0.9;

/**
 * The most items of one Distributed Map batch: their answers fill at most 90 % of the 256 KiB a
 * Step Functions task may answer, 73 items. The generated state machines batch this many
 * (`ItemBatcher.MaxItemsPerBatch`), and a larger batch is refused before any call.
 */
export const DISTRIBUTED_MAP_MAX_ITEMS = Math.floor(
  (STEP_FUNCTIONS_PAYLOAD_BYTES * PAYLOAD_SHARE) / ITEM_ANSWER_MAX_BYTES,
);

/**
 * The most items of one Distributed Map batch for an endpoint: one document at a time for a
 * document endpoint, whose answer holds every image of the document (about 70 images' answers
 * fit in 256 KiB: a larger document's answer cannot be carried, see docs/triggers.md), else
 * DISTRIBUTED_MAP_MAX_ITEMS.
 */
export function distributedMapMaxItems(endpoint: EndpointDescription<string>): number {
  return endpoint.document ? 1 : DISTRIBUTED_MAP_MAX_ITEMS;
}

/** The largest batch input, in bytes (`ItemBatcher.MaxInputBytesPerBatch`): lines holding user tokens are long. */
export const DISTRIBUTED_MAP_MAX_INPUT_BYTES = Math.floor(STEP_FUNCTIONS_PAYLOAD_BYTES * PAYLOAD_SHARE);

/** What a batch does with items still retryable once the function's own retries are spent. */
export type RetryableItems = 'answer' | 'throw';
const RETRYABLE_ITEMS: readonly RetryableItems[] = ['answer', 'throw'];

/** A Distributed Map batch once read: its items, and what to do with those left retryable. */
export interface DistributedMapBatch {
  entries: BatchEntry[];
  retryableItems: RetryableItems;
}

/** Whether an input is a batch from Step Functions' Distributed Map, `{"Items": [...], "BatchInput": {...}}`. */
export function isDistributedMapBatch(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && Object.hasOwn(input, 'Items');
}

/**
 * Reads the batch a Distributed Map's `ItemBatcher` hands a task, such as
 * `{"Items": [{"imageKey": "a"}, {"imageKey": "b"}], "BatchInput": {"expiresIn": 3600}}`, as a
 * batch: `BatchInput` holds the options for every item (`refresh`, `expiresIn`, `download`, an
 * item's own winning), and `retryableItems`: `answer` (the default) answers every item, as any
 * batch does; `throw` throws the error of an item still retryable instead, so that the state
 * machine's Retry sends the batch again. A batch wrong as a whole, or of more than
 * DISTRIBUTED_MAP_MAX_ITEMS items, is an INVALID_REQUEST; a bad item fails only itself.
 *
 * @example
 * const batch = { Items: [{ imageKey: 'img_v3_01' }], BatchInput: { retryableItems: 'throw' } };
 * parseDistributedMapBatch(batch, im, settings); // { entries: [{ source: { imageKey: 'img_v3_01' }, … }], … }
 */
export function parseDistributedMapBatch(
  batch: Readonly<Record<string, unknown>>,
  endpoint: EndpointDescription,
  settings: Settings,
): DistributedMapBatch {
  refuseUnknown(batch, ['Items', 'BatchInput'], 'Distributed Map batch field');
  const { Items: items, BatchInput: given = {} } = batch;
  if (!Array.isArray(items)) throw invalidRequest(`Items must be an array of payloads, not ${describeType(items)}`);
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw invalidRequest(`BatchInput must be an object of options, not ${describeType(given)}`);
  }
  const { retryableItems = 'answer', ...options } = given as Record<string, unknown>;
  const allowed = [...COMMON_OPTIONS, ...blockOptionNames(endpoint), 'retryableItems'];
  refuseUnknown(given as Record<string, unknown>, allowed, 'BatchInput field');
  if (!RETRYABLE_ITEMS.includes(retryableItems as RetryableItems)) {
    throw invalidRequest(`BatchInput.retryableItems must be ${RETRYABLE_ITEMS.join(' or ')}`);
  }
  const maxItems = distributedMapMaxItems(endpoint);
  refuseTooManyItems(
    items.length,
    `${maxItems} are answered in one Distributed Map batch, ` +
      "whose answer Step Functions carries up to 256 KiB; set the ItemBatcher's MaxItemsPerBatch " +
      `to at most ${maxItems}`,
    maxItems,
  );
  return {
    entries: parseBatchItems(
      items,
      batchOptions(options, endpoint, settings),
      endpoint,
      settings,
      (index) => `item ${index + 1}`,
    ),
    retryableItems: retryableItems as RetryableItems,
  };
}
