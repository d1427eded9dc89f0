import { subjectOf, type EndpointDescription, type ImageBlock } from '../endpoints';
import { toErrorBody, type ErrorBody } from '../errors/errorBody';
import { MirrorError } from '../errors/MirrorError';
import { listDocumentBlocks, type DocumentBlock } from '../feishu/listDocumentBlocks';
import type { DocumentImage, FullDocumentAnswer } from '../mirror/DocumentAnswer';
import type { Invocation } from '../mirror/Invocation';
import type { MirrorAnswer } from '../mirror/MirrorAnswer';
import { logFailure } from '../mirror/mirrorLogged';
import type { MirrorRequest } from '../mirror/MirrorRequest';
import { logger } from '../runtime/logger';
import type { BatchEntry } from '../request/BatchEntry';
import { parseDirectPayload } from '../request/parseDirectPayload';
import { keepFullAnswer, writeTimeFor } from './fullAnswerObject';
import type { ItemWork } from './runItems';
import { hasTimeForAnItem, mirrorOneImage, runItems } from './runItems';

/** One image block found in the document, with the request that mirrors it. */
interface FoundImage {
  block: DocumentBlock;
  rule: ImageBlock;
  token: string;
  entry: BatchEntry;
}

/**
 * Mirrors every image of a document: lists its blocks (page by page, within the document
 * endpoint's rate limit), then mirrors each image block through its own endpoint (document
 * media naming the document, whiteboards), as a batch of that endpoint: under its own key and
 * cache rules, within its own rate limit, all endpoints at once. One image failing fails only
 * itself; images not started when time runs short are answered UPSTREAM_TIMEOUT, so calling
 * again finishes the rest. A document Feishu will not list fails the whole call. An answer that
 * may not fit where it goes (`invocation.answerRoom`) is also written to S3, its images leaving
 * the time for that, so that the edge can answer it compact (fitAnswer).
 *
 * @example
 * const answer = await mirrorDocument(invocation, request); // { kind: 'docx', images: [...], succeeded, failed }
 */
export const mirrorDocument: ItemWork = async (invocation, request): Promise<FullDocumentAnswer> => {
  const started = Date.now();
  const { endpoint, settings, deadline, clients, limiters, metrics } = invocation;
  const contents = endpoint.document;
  if (contents === undefined) throw new Error(`${endpoint.kind} is not a document endpoint`);
  const listed = await listDocumentBlocks(
    {
      endpoint,
      source: request.source,
      userAccessToken: request.userAccessToken,
      limiter: limiters.of(endpoint),
      metrics,
    },
    settings,
    deadline,
    clients,
  );
  const found = findImages(listed.blocks, contents.blocks, invocation, request);
  const writeMs = writeTimeFor(found.length, invocation.answerRoom, deadline);
  const images = await mirrorImages(found, { ...invocation, deadline: deadline.shortenedBy(writeMs) }, request.source);

  const failed = images.filter((image) => 'error' in image).length;
  const answer: FullDocumentAnswer = {
    kind: endpoint.kind,
    source: { ...request.source },
    images,
    succeeded: images.length - failed,
    failed,
  };
  await keepFullAnswer(invocation, request, answer);
  logger.info('document mirrored', {
    kind: endpoint.kind,
    source: answer.source,
    blocks: listed.blocksRead,
    images: images.length,
    succeeded: answer.succeeded,
    failed,
    transport: invocation.trigger,
    fullAnswer: answer.fullAnswer?.key,
    durationMs: Date.now() - started,
  });
  return answer;
};

/**
 * Mirrors the images found, those of each endpoint as one batch of it, all endpoints at once,
 * and answers each in document order. With no time left to start any (the listing took it),
 * every image is answered UPSTREAM_TIMEOUT at once, to be sent again, rather than started.
 */
async function mirrorImages(
  found: readonly FoundImage[],
  invocation: Invocation,
  source: Readonly<Record<string, string>>,
): Promise<DocumentImage[]> {
  const images: DocumentImage[] = new Array(found.length);
  const answer = (index: number, result: MirrorAnswer | ErrorBody): void => {
    const image = found[index]!;
    const head = { blockId: image.block.blockId, blockType: image.rule.name, token: image.token };
    images[index] = 'error' in result ? { ...head, ...result } : { ...head, answer: result };
  };
  if (!hasTimeForAnItem(invocation.deadline)) {
    const late = new MirrorError(
      'UPSTREAM_TIMEOUT',
      `${subjectOf(invocation.endpoint, source)}: no image started; listing its blocks took the invocation's time ` +
        '(send it again)',
      { source },
    );
    const lateBody = toErrorBody(late);
    found.forEach(({ entry }, index) => {
      answer(index, entry instanceof MirrorError ? toErrorBody(entry) : lateBody);
    });
    // One line for them all: each image would be a line of its own, and time is what ran out.
    if (found.length > 0) logFailure(invocation, late, 0, found.length);
    return images;
  }

  // Each endpoint's images in document order, gathered in one pass.
  const byEndpoint = new Map<EndpointDescription, number[]>();
  found.forEach((image, index) => {
    const imageEndpoint = image.rule.endpoint as EndpointDescription;
    const indexes = byEndpoint.get(imageEndpoint);
    if (indexes === undefined) byEndpoint.set(imageEndpoint, [index]);
    else indexes.push(index);
  });
  await Promise.all(
    [...byEndpoint].map(async ([imageEndpoint, indexes]) => {
      const { results } = await runItems(
        indexes.map((index) => found[index]!.entry),
        { ...invocation, endpoint: imageEndpoint },
        mirrorOneImage,
      );
      indexes.forEach((index, position) => {
        answer(index, results[position] as MirrorAnswer | ErrorBody);
      });
    }),
  );
  return images;
}

/**
 * The image blocks of the document in document order, each with the request for its own
 * endpoint: the document's options for every image, its token checked as that endpoint's id.
 * Blocks whose option is set false (`whiteboards=false`) are left out.
 */
function findImages(
  blocks: readonly DocumentBlock[],
  rules: readonly ImageBlock[],
  invocation: Invocation,
  request: MirrorRequest,
): FoundImage[] {
  const documentId = request.source[invocation.endpoint.ids[0]!]!;
  const wanted = rules.filter((rule) => rule.option === undefined || request.blockOptions?.[rule.option] !== false);
  return blocks.flatMap((block): FoundImage[] => {
    const rule = wanted.find((candidate) => candidate.blockType === block.blockType);
    if (rule === undefined) return [];
    const { token } = block;
    const label = `${rule.name} block ${block.blockId}`;
    if (token === undefined) {
      const error = new MirrorError('UPSTREAM_ERROR', `${label}: Feishu listed it without a ${rule.field}.token`, {
        retryable: false,
      });
      return [{ block, rule, token: '', entry: error }];
    }
    return [{ block, rule, token, entry: imageEntry(token, documentId, rule, invocation, request, label) }];
  });
}

/** The image's request, read as its endpoint reads a direct payload, so its token is checked like any id. */
function imageEntry(
  token: string,
  documentId: string,
  rule: ImageBlock,
  invocation: Invocation,
  request: MirrorRequest,
  label: string,
): BatchEntry {
  const payload = {
    ...rule.payload(token, documentId),
    refresh: request.refresh,
    download: request.download,
    expiresIn: request.expiresInSeconds,
    ...(request.userAccessToken === undefined ? {} : { userAccessToken: request.userAccessToken }),
  };
  try {
    return parseDirectPayload(payload, rule.endpoint as EndpointDescription, invocation.settings);
  } catch (error) {
    if (!(error instanceof MirrorError)) throw error;
    // A token Feishu gave is not the caller's input: a malformed one is Feishu's fault.
    return new MirrorError('UPSTREAM_ERROR', `${label}: ${error.message}`, { retryable: false });
  }
}
