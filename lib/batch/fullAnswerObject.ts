import { randomBytes } from 'node:crypto';
import { toErrorBody, toMirrorError } from '../errors/errorBody';
import { aboutSource } from '../errors/MirrorError';
import type { AnswerRoom } from '../mirror/AnswerRoom';
import type { FullAnswerObject, FullDocumentAnswer } from '../mirror/DocumentAnswer';
import type { Invocation } from '../mirror/Invocation';
import { logFailure } from '../mirror/mirrorLogged';
import type { MirrorRequest } from '../mirror/MirrorRequest';
import { RESULTS_PREFIX } from '../request/readManifestRecord';
import type { Deadline } from '../runtime/Deadline';
import { writeJsonText } from '../storage/manifestObjects';
import { presignGet } from '../storage/presignGet';

/**
 * A bound on one image's part of a document's full answer: its block, and an answer whose
 * presigned URL holds a session token as long as a Lambda role's and a long file name (about
 * 3.3 KB measured; docs/triggers.md), with room to spare.
 */
const IMAGE_ANSWER_MAX_BYTES = 5 * 1024;

/** The time a PUT of the full answer takes at least: S3's round trip, with room for a slow one. */
const WRITE_MIN_MS = 1000;

/**
 * And for each image: its most bytes at 50 MB/s, a pace assumed of one PUT from a function of
 * 512 MB to S3 in its region (not measured here: no machine of this project reaches AWS).
 */
const WRITE_MS_PER_IMAGE = IMAGE_ANSWER_MAX_BYTES / 50_000;

/**
 * The time a document's images must leave for writing its full answer to S3, known once its
 * blocks are listed: none when its full answer fits its room whatever its images answer; else
 * the time to write their most bytes, at most a quarter of the time left.
 *
 * @example
 * writeTimeFor(30_000, TASK_ANSWER_ROOM, deadline); // 4,072 ms with a minute left
 */
export function writeTimeFor(images: number, room: AnswerRoom, deadline: Deadline): number {
  if (images * IMAGE_ANSWER_MAX_BYTES <= room.bytes) return 0;
  return Math.floor(Math.min(WRITE_MIN_MS + images * WRITE_MS_PER_IMAGE, deadline.remainingMs() / 4));
}

/**
 * Writes the full answer of a document that does not fit its room to S3 when it does not, and
 * names it in the answer (`fullAnswer`), so that the answer can be made compact where it goes
 * without losing one image's answer: under `results/{kind}/{documentId}/{ISO time}-{8 hex}.json`
 * (the hex keeps two calls of the same millisecond apart), with a presigned URL living as long
 * as the images' URLs. S3 failing leaves the answer whole, with `fullAnswer` naming the error.
 *
 * @example
 * await keepFullAnswer(invocation, request, answer);
 * // answer.fullAnswer: { key: 'results/docx/doxcnA/2026-12-07T10:15:30.123Z-9f2c41ab.json', url, expiresAt }
 */
export async function keepFullAnswer(
  invocation: Invocation,
  request: MirrorRequest,
  answer: FullDocumentAnswer,
): Promise<void> {
  const room = invocation.answerRoom;
  if (room.bytes === Number.POSITIVE_INFINITY) return;
  // Made once: measured, and written as it is.
  const json = JSON.stringify(answer);
  if (room.sizeOfJson(json) <= room.bytes) return;
  answer.fullAnswer = await writeFullAnswer(invocation, request, json);
}

async function writeFullAnswer(
  invocation: Invocation,
  request: MirrorRequest,
  json: string,
): Promise<FullAnswerObject> {
  const { endpoint, settings, clients, deadline } = invocation;
  const documentId = request.source[endpoint.ids[0]!]!;
  const name = `${new Date().toISOString()}-${randomBytes(4).toString('hex')}`;
  const key = `${RESULTS_PREFIX}${endpoint.kind}/${documentId}/${name}.json`;
  const client = clients.s3(settings.s3ForcePathStyle);
  try {
    await writeJsonText(client, settings.bucket, key, json, deadline.signal);
    const url = await presignGet(client, { Bucket: settings.bucket, Key: key }, request.expiresInSeconds);
    return { key, url, expiresAt: new Date(Date.now() + request.expiresInSeconds * 1000).toISOString() };
  } catch (thrown) {
    const error = aboutSource(toMirrorError(thrown), request.source);
    logFailure(invocation, error, 0);
    return { key, ...toErrorBody(error) };
  }
}
