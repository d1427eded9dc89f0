/** Lambda's longest run: every contestant gets the same generous budget per invocation. */
export const INVOCATION_BUDGET_MS = 900_000;

/** What the bench asks a contestant's process to do. */
export type ContestantCommand =
  /** `budgetMs`: the invocation's remaining time (default INVOCATION_BUDGET_MS). */
  { type: 'invoke'; id: number; event: unknown; watchMemory?: boolean; budgetMs?: number } | { type: 'exit' };

/** A failed invocation, as the handler threw it. */
export interface InvocationError {
  name: string;
  message: string;
}

/** One invocation, timed and watched inside the contestant's process. */
export interface InvocationResult {
  type: 'result';
  id: number;
  durationMs: number;
  /** CPU time of the process (user + system) during the call; other invocations running at once count too. */
  cpuMs: number;
  answer?: unknown;
  error?: InvocationError;
  /** Resident set size just before the call. */
  rssBeforeBytes: number;
  /** The highest resident set size seen during the call (sampled, and the process's high-water mark when it rose). */
  peakRssBytes: number;
  /**
   * With watchMemory: the highest heap use and the highest memory held in ArrayBuffers (Buffers)
   * sampled during the call.
   */
  peakHeapUsedBytes?: number;
  peakArrayBuffersBytes?: number;
}

/** What a contestant's process reports. */
export type ContestantMessage = { type: 'ready'; loadMs: number; rssBytes: number } | InvocationResult;

/** What the S3 server's process reports. */
export type S3ServerMessage = { type: 'ready'; endpoint: string } | { type: 'activity'; activity: S3Activity };

/** Requests the S3 server answered, by S3 operation. */
export type S3RequestCounts = Record<string, number>;

/** What the S3 server did: requests, and milliseconds from arrival to answer, by S3 operation. */
export interface S3Activity {
  requests: S3RequestCounts;
  serverMs: Record<string, number>;
}
