import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { feishuHttp } from './feishuHttp';

/** SSM parameters as the functions read them: decrypted, cached, and read afresh on demand. */
export interface ParameterStore {
  /**
   * The parameter's value, from the cache while it is younger than `maxAgeSeconds`, else (or
   * with `forceFetch`) from SSM; undefined when it has none.
   */
  get(
    name: string,
    options: { maxAgeSeconds: number; forceFetch: boolean; abortSignal: AbortSignal },
  ): Promise<string | undefined>;
}

/** One counter update: `counts` added to the named counters of the item `key`. */
export interface CounterUpdate {
  key: string;
  /** Counter name → amount to add (negative to give back). */
  counts: Readonly<Record<string, number>>;
}

/**
 * One conditional move of a number of an item (a schedule's next free time): on by `by` when it
 * stands at `ifAtLeast` or later, or to `to` when it is absent or stands before `ifBelow`.
 */
export type ScheduleMove =
  | { key: string; name: string; by: number; ifAtLeast: number }
  | { key: string; name: string; to: number; ifBelow: number };

/** Counters shared by every execution environment, one item per key (the table `RATE_LIMIT_TABLE`). */
export interface CounterTable {
  /**
   * Adds the counts to the item (created at 0), which the table may drop after `expiresAt`
   * (epoch seconds), and returns the counters' new values.
   */
  add(update: CounterUpdate, expiresAt: number, signal: AbortSignal): Promise<Record<string, number>>;
  /**
   * Makes the move in one conditional write, atomic against every other writer, and returns the
   * number's new value, or undefined when its condition did not hold (nothing was written).
   */
  move(move: ScheduleMove, expiresAt: number, signal: AbortSignal): Promise<number | undefined>;
}

/**
 * Records of work done, one item per key, each dropped after its `expiresAt` (epoch seconds): a
 * claim while the work is under way, then a settled record (the table `RATE_LIMIT_TABLE`).
 */
export interface RecordTable {
  /**
   * Writes `holder`'s claim on the key, unless an item is there whose `expiresAt` is not yet
   * past at `now` (epoch seconds): whether the claim was written, atomically against every writer.
   */
  claim(key: string, holder: string, expiresAt: number, now: number, signal: AbortSignal): Promise<boolean>;
  /** Records the work as done until `expiresAt`, in place of the claim. */
  settle(key: string, expiresAt: number, signal: AbortSignal): Promise<void>;
  /** Removes the key's item if it still holds `holder`'s claim, so that the work may be tried again. */
  release(key: string, holder: string, signal: AbortSignal): Promise<void>;
}

/**
 * The clients the data path reaches the network with: handed in at the edge
 * (`createHandler(endpoint, clients)`) and carried on the invocation, so that tests give their
 * own instead of patching modules.
 *
 * @example
 * const client = invocation.clients.s3(settings.s3ForcePathStyle);
 */
export interface Clients {
  /** The S3 client for a path style: one per execution environment. */
  s3(forcePathStyle: boolean): S3Client;
  /** SSM parameters; their client is built at the first call, so plain secrets never pay for it. */
  parameters(): Promise<ParameterStore>;
  /** The counters of a table; the DynamoDB client is built at the first call, so functions without one never pay. */
  counters(tableName: string): CounterTable;
  /** The records of a table, on the same lazily built DynamoDB client as the counters. */
  records(tableName: string): RecordTable;
  /** SQS; its code is imported and its client built at the first call. */
  sqs(): Promise<SQSClient>;
  /** EventBridge; its code is imported and its client built at the first call. */
  eventBridge(): Promise<EventBridgeClient>;
  /** Feishu's HTTP API. */
  feishuHttp: typeof feishuHttp;
}
