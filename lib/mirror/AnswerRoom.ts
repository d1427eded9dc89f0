/**
 * Where an answer goes, and how many bytes it may take there (docs/endpoints.md, "The size of
 * the answer"): a document's answer that would take more is answered compact, its full form
 * written to S3.
 */
export interface AnswerRoom {
  /** The most bytes the answer may take, as `sizeOfJson` counts them; Infinity where nobody reads it. */
  bytes: number;
  /** The bytes an answer, given as its JSON text, takes where it goes. */
  sizeOfJson(json: string): number;
}

/** Lambda's largest answer to a synchronous invocation: 6 MB, over HTTP and Invoke alike. */
const LAMBDA_ANSWER_BYTES = 6 * 1024 * 1024;

/** The largest output a Step Functions task may give: 256 KiB, or `States.DataLimitExceeded`. */
const TASK_ANSWER_BYTES = 256 * 1024;

/**
 * The part of a limit an answer may fill: the rest is for what surrounds it (the HTTP answer's
 * status and headers; lambda:invoke's Payload wrapper and response metadata), as the
 * Distributed Map's batch size keeps 10 % of the 256 KiB for it.
 */
const FILL = 0.9;

/** What an answer is made of: JSON, whose size is its UTF-8 bytes. */
const jsonBytes = (json: string): number => Buffer.byteLength(json);

/**
 * An HTTP answer (API Gateway, a Function URL): its JSON is the body of Lambda's answer, a
 * string within a JSON object, where every quote and backslash takes one byte more.
 */
export const HTTP_ANSWER_ROOM: AnswerRoom = {
  bytes: Math.floor(FILL * LAMBDA_ANSWER_BYTES),
  sizeOfJson: (json) => Buffer.byteLength(JSON.stringify(json)),
};

/**
 * The answer of every other invocation that returns one (a direct Invoke, a Step Functions task,
 * an EventBridge target): a task and a plain Invoke cannot be told apart, so the task's limit,
 * the smaller, holds for both.
 */
export const TASK_ANSWER_ROOM: AnswerRoom = { bytes: Math.floor(FILL * TASK_ANSWER_BYTES), sizeOfJson: jsonBytes };

/**
 * An answer nobody reads back through Lambda: SQS's (only failed messages are named), an S3
 * manifest's (its results go to S3).
 */
export const UNLIMITED_ROOM: AnswerRoom = { bytes: Number.POSITIVE_INFINITY, sizeOfJson: jsonBytes };

/** A batch answer's own fields around its results: `{"results":[],"succeeded":2000,"failed":2000}` and more. */
const BATCH_ENVELOPE_BYTES = 64;

/**
 * The room of one of `parts` results of a batch whose answer has `room`: an equal share of it,
 * less the batch's own fields and the commas between results.
 *
 * @example
 * shareOf(TASK_ANSWER_ROOM, 4).bytes; // 58,965
 */
export function shareOf(room: AnswerRoom, parts: number): AnswerRoom {
  if (parts <= 1 || room.bytes === Number.POSITIVE_INFINITY) return room;
  return { ...room, bytes: Math.floor((room.bytes - BATCH_ENVELOPE_BYTES) / parts) - 1 };
}

/**
 * The bytes a value takes where the answer goes.
 *
 * @example
 * sizeIn(TASK_ANSWER_ROOM, { results: [] }); // 14
 */
export function sizeIn(room: AnswerRoom, value: unknown): number {
  return room.sizeOfJson(JSON.stringify(value));
}

/**
 * The bytes a value takes where the answer goes as one part of it (a result of a batch, an
 * image of a list): its size less what the answer's text itself costs there (the two quotes
 * of an HTTP body), so that the parts and what surrounds them add up to the whole.
 *
 * @example
 * partSizeIn(HTTP_ANSWER_ROOM, { a: 1 }); // 9: {\"a\":1}
 */
export function partSizeIn(room: AnswerRoom, value: unknown): number {
  return sizeIn(room, value) - room.sizeOfJson('');
}
