import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handler as docxImages } from '../../../functions/docxImages';
import { handler as driveMedia } from '../../../functions/driveMedia';
import type { BatchAnswer } from '../../../lib/batch/BatchAnswer';
import type { FullDocumentAnswer } from '../../../lib/mirror/DocumentAnswer';
import type { MirrorAnswer } from '../../../lib/mirror/MirrorAnswer';
import { documentOf } from '../../support/batchTypes';
import { lambdaContext } from '../../support/lambdaContext';
import { loadEvent } from '../../support/loadEvent';
import { useMirrorEnvironment } from '../../support/useMirrorEnvironment';

/** The sandbox's sample document: texts, an image, a whiteboard, an image nested in a callout, an image. */
const SAMPLE = 'doxcnQ8dUQhV1vcTdEYZhzBbWkb';
const ALICE = 'u-3sZ2bVqf8w1XkTq0aYc7LrNn5e9P';

const mirror = async (payload: Record<string, unknown>, remainingMs?: number): Promise<FullDocumentAnswer> =>
  (await docxImages(payload, lambdaContext(remainingMs))) as FullDocumentAnswer;

describe('Function: docxImages (every image of a docx document)', () => {
  const env = useMirrorEnvironment({ userTokens: [ALICE] });
  const calls = (endpoint: string) => env.feishu.requests.filter((request) => request.endpoint === endpoint);

  it('answers every image and whiteboard of the document in document order, each under its own key', async () => {
    // Act
    const answer = await mirror({ documentId: SAMPLE });

    // Assess
    expect(answer).toMatchObject({ kind: 'docx', source: { documentId: SAMPLE }, failed: 0 });
    expect(answer.images.map((image) => image.blockType)).toEqual(['image', 'whiteboard', 'image', 'image']);
    expect(answer.succeeded).toBe(4);
    for (const image of answer.images) {
      if (!('answer' in image)) throw new Error(`image ${image.blockId} failed`);
      const expectedKey = image.blockType === 'image' ? `drive-media/${image.token}` : `whiteboard/${image.token}`;
      expect(image.answer.key).toBe(`feishu/${expectedKey}`);
      expect((await fetch(image.answer.url)).status).toBe(200);
    }
  });

  it('mirrors image blocks as document media naming the document, whose access counts', async () => {
    // Act
    const answer = await mirror({ documentId: SAMPLE, whiteboards: false });

    // Assess
    expect(answer.images.every((image) => 'answer' in image && image.answer.kind === 'drive-media')).toBe(true);
    for (const call of calls('driveMedia'))
      expect(JSON.parse(call.query.extra ?? '')).toMatchObject({ doc_id: SAMPLE });
  });

  it('leaves whiteboards out when asked to (whiteboards=false), over the REST API', async () => {
    // Prepare
    const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/docx.json');

    // Act
    const result = (await docxImages(event, lambdaContext())) as APIGatewayProxyResult;

    // Assess
    expect(result.statusCode).toBe(200);
    const answer = JSON.parse(result.body) as FullDocumentAnswer;
    expect(answer.images.map((image) => image.blockType)).toEqual(['image', 'image', 'image']);
    expect(calls('whiteboard')).toEqual([]);
  });

  it('reads a document of more than one page of blocks, following page_token while has_more', async () => {
    // Act
    const answer = await mirror({ documentId: 'docgen-4-2-700', whiteboards: false });

    // Assess
    const pages = calls('docxBlocks');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.map((page) => page.query.page_size)).toEqual(pages.map(() => '500'));
    expect(pages[0]?.query.page_token).toBeUndefined();
    expect(pages.slice(1).every((page) => typeof page.query.page_token === 'string')).toBe(true);
    expect(answer).toMatchObject({ succeeded: 4, failed: 0 });
  });

  it('answers an image later asked for through driveMedia from the same stored object', async () => {
    // Prepare
    const document = await mirror({ documentId: SAMPLE, whiteboards: false });
    const first = document.images[0]!;

    // Act
    const direct = (await driveMedia({ fileToken: first.token }, lambdaContext())) as MirrorAnswer;

    // Assess
    expect('answer' in first && first.answer.key).toBe(direct.key);
    expect(direct.cached).toBe(true);
  });

  it('answers document media from S3 on the next call, and fetches whiteboards again', async () => {
    // Prepare
    await mirror({ documentId: SAMPLE });
    const mediaCalls = calls('driveMedia').length;
    const whiteboardCalls = calls('whiteboard').length;

    // Act
    const again = await mirror({ documentId: SAMPLE });

    // Assess
    expect(again.succeeded).toBe(4);
    expect(calls('driveMedia')).toHaveLength(mediaCalls);
    expect(calls('whiteboard')).toHaveLength(whiteboardCalls * 2);
  });

  it('fails only the image that fails, answering the rest and 200 over HTTP', async () => {
    // Prepare
    env.feishu.addDocument('doxcnOneBadImage', [
      { type: 'text', text: 'Architecture' },
      { type: 'image', token: 'boxcnGoodImage1' },
      { type: 'whiteboard', token: 'err-2890005' },
      { type: 'callout', children: [{ type: 'image', token: 'err-1061003' }] },
      { type: 'image', token: 'boxcnGoodImage2' },
    ]);

    // Act
    const answer = await mirror({ documentId: 'doxcnOneBadImage' });

    // Assess
    expect(answer).toMatchObject({ succeeded: 2, failed: 2 });
    expect(answer.images.map((image) => ('error' in image ? image.error.code : image.blockType))).toEqual([
      'image',
      'FORBIDDEN',
      'NOT_FOUND',
      'image',
    ]);
    expect(answer.images.map((image) => image.token)).toEqual([
      'boxcnGoodImage1',
      'err-2890005',
      'err-1061003',
      'boxcnGoodImage2',
    ]);
  });

  it('answers 200 over HTTP even when every image failed', async () => {
    // Prepare
    env.feishu.addDocument('doxcnAllBad', [{ type: 'image', token: 'err-1061004' }]);
    const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/docx.json');
    event.pathParameters = { documentId: 'doxcnAllBad' };

    // Act
    const result = (await docxImages(event, lambdaContext())) as APIGatewayProxyResult;

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ succeeded: 0, failed: 1 });
  });

  it('answers the images it had no time for as retryable timeouts, and a second call finishes them', async () => {
    // Prepare
    const slow = Array.from({ length: 12 }, (_, n) => ({ type: 'image' as const, token: `slow-${1500 + n}` }));
    env.feishu.addDocument('doxcnSlowImages', slow);

    // Act
    const first = await mirror({ documentId: 'doxcnSlowImages' }, 4000);
    const second = await mirror({ documentId: 'doxcnSlowImages' });

    // Assess
    const timedOut = first.images.filter((image) => 'error' in image);
    expect(timedOut.length).toBeGreaterThan(0);
    // Not started (UPSTREAM_TIMEOUT), or cut while S3 stored it as the time ran out (STORAGE_ERROR): on a busy
    // machine an image may be caught at either point.
    for (const image of timedOut) {
      expect(image).toMatchObject({ error: { retryable: true } });
      const { code, message } = (image as { error: { code: string; message: string } }).error;
      if (code !== 'UPSTREAM_TIMEOUT') {
        expect({ code, message }).toEqual({
          code: 'STORAGE_ERROR',
          message: expect.stringContaining('time the invocation had left'),
        });
      }
    }
    expect(second).toMatchObject({ succeeded: 12, failed: 0 });
    const cachedAgain = second.images.filter((image) => 'answer' in image && image.answer.cached).length;
    expect(cachedAgain).toBe(12 - timedOut.length);
  }, 30_000);

  it.each([
    ['1770002', 'NOT_FOUND', 'does not exist'],
    ['1770032', 'FORBIDDEN', 'add the app to the document'],
  ])('answers Feishu code %s for the whole document as %s', async (code, expected, wording) => {
    // Act
    const call = mirror({ documentId: `err-${code}` });

    // Assess
    await expect(call).rejects.toMatchObject({ code: expected, feishuCode: Number(code) });
    await expect(mirror({ documentId: `err-${code}` })).rejects.toThrow(wording);
  });

  it('ends a listing whose pages cycle (A → B → A) at once, with an UPSTREAM_ERROR retrying cannot fix', async () => {
    // Prepare
    const paragraphs = Array.from({ length: 1100 }, (_, n) => ({ type: 'text' as const, text: `Paragraph ${n + 1}` }));
    env.feishu.addDocument('doxcnCycling', [{ type: 'image', token: 'boxcnBeforeTheLoop' }, ...paragraphs], 'cycles');

    // Act
    const call = mirror({ documentId: 'doxcnCycling' }, 10_000);

    // Assess
    await expect(call).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      retryable: false,
      message: expect.stringMatching(
        /^docx document doxcnCycling: Feishu's page 3 of blocks gives the page_token page 1/,
      ),
    });
    expect(calls('docxBlocks')).toHaveLength(3);
    expect(calls('driveMedia')).toEqual([]);
  });

  it('ends a listing at once at an empty page that says more blocks follow, with an UPSTREAM_ERROR', async () => {
    // Prepare
    env.feishu.addDocument('doxcnEmptyPages', [{ type: 'image', token: 'boxcnOnlyImage' }], 'empty-pages');

    // Act
    const call = mirror({ documentId: 'doxcnEmptyPages' }, 10_000);

    // Assess
    await expect(call).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      retryable: false,
      message:
        "docx document doxcnEmptyPages: Feishu's page 2 of blocks holds no block but says more follow " +
        '(has_more); the listing would never end',
    });
    expect(calls('docxBlocks')).toHaveLength(2);
  });

  it("reads a document only a user may read with the user's token, and keeps its images apart", async () => {
    // Act
    const answer = await mirror({ documentId: 'useronly_doc_1', userAccessToken: ALICE });

    // Assess
    expect(answer.succeeded).toBeGreaterThan(0);
    for (const image of answer.images) {
      if ('answer' in image) expect(image.answer.key).toMatch(/^feishu\/user-token\/[0-9a-f]{32}\//);
    }
    await expect(mirror({ documentId: 'useronly_doc_1' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers a batch of documents with each document in order', async () => {
    // Act
    const answer = (await docxImages(
      { items: [{ documentId: SAMPLE }, { documentId: 'err-1770002' }], whiteboards: false },
      lambdaContext(),
    )) as BatchAnswer;

    // Assess
    expect(answer).toMatchObject({ succeeded: 1, failed: 1 });
    expect(documentOf(answer.results[0]).images).toHaveLength(3);
    expect(answer.results[1]).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('refuses redirect=true over HTTP: a document has many images', async () => {
    // Prepare
    const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/docx.json');
    event.queryStringParameters = { redirect: 'true' };
    event.multiValueQueryStringParameters = { redirect: ['true'] };

    // Act
    const result = (await docxImages(event, lambdaContext())) as APIGatewayProxyResult;

    // Assess
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error.message).toContain('redirect is not available for a docx document');
  });
});
