import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { CrawlCursor } from '../../../lib/batch/crawlPlace';
import type { RunSummary } from '../../../lib/batch/summarizeRun';
import { containerClients } from '../../../lib/clients/containerClients';
import { handler as driveFolderImages } from '../../../functions/driveFolderImages';
import { handler as wikiSpaceImages } from '../../../functions/wikiSpaceImages';
import { lambdaContext } from '../../support/lambdaContext';
import { listRun, wikiDocuments } from '../../support/placeRuns';
import { useMirrorEnvironment } from '../../support/useMirrorEnvironment';

/** Listing at the speed of the machine: the limits themselves are tested apart. */
const FAST = { WIKI_SPACE_RATE_LIMIT: '1000/s,60000/min', DRIVE_FOLDER_RATE_LIMIT: '1000/s' };

async function readObject(key: string): Promise<string> {
  const s3 = containerClients().s3(true);
  const answer = await s3.send(new GetObjectCommand({ Bucket: process.env.IMAGE_BUCKET, Key: key }));
  return (await answer.Body?.transformToString()) ?? '';
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('Function: wikiSpaceImages and driveFolderImages, listing', () => {
  const env = useMirrorEnvironment({ env: FAST });

  it('lists a space of 2,000 nodes over several invocations and finds every docx document exactly once', async () => {
    // Prepare
    const payload = { spaceId: 'wikigen-2000', run: 'r1' };

    // Act
    const answers = await listRun(wikiSpaceImages, payload);

    // Assess
    const last = answers.at(-1)!;
    expect(answers.length).toBeGreaterThanOrEqual(3);
    const manifest = lines(await readObject(last.manifest)).map((line) => JSON.parse(line).documentId as string);
    expect(manifest.sort()).toEqual(wikiDocuments(2000).sort());
    expect(last).toMatchObject({ done: true, items: 2000, found: manifest.length, unchanged: 0, listingFailures: 0 });
    const s3 = containerClients().s3(true);
    const parts = await s3.send(
      new ListObjectsV2Command({
        Bucket: process.env.IMAGE_BUCKET,
        Prefix: 'results/wiki-space/wikigen-2000/r1/documents/',
      }),
    );
    expect(parts.KeyCount).toBeGreaterThanOrEqual(2);
  });

  it('chooses on a later run only the documents edited since the last finished one, all with refresh', async () => {
    // Prepare
    const first = (await listRun(wikiSpaceImages, { spaceId: 'wikigen-300', run: 'first' }, 60_000)).at(-1)!;
    await wikiSpaceImages({ spaceId: 'wikigen-300', run: 'first', summarize: {} }, lambdaContext());
    env.feishu.editDocument('doxgenw300x4');
    env.feishu.editDocument('doxgenw300x211');

    // Act
    const second = (await listRun(wikiSpaceImages, { spaceId: 'wikigen-300', run: 'second' }, 60_000)).at(-1)!;
    const forced = (
      await listRun(wikiSpaceImages, { spaceId: 'wikigen-300', run: 'forced', refresh: true }, 60_000)
    ).at(-1)!;

    // Assess
    expect(lines(await readObject(second.manifest)).map((line) => JSON.parse(line))).toEqual([
      { documentId: 'doxgenw300x4' },
      { documentId: 'doxgenw300x211' },
    ]);
    expect(second).toMatchObject({ found: first.found, toMirror: 2, unchanged: first.found! - 2 });
    expect(forced).toMatchObject({ found: first.found, toMirror: first.found, unchanged: 0 });
  });

  it('lists a Drive folder tree, following shortcuts to documents once and never a shortcut to a folder', async () => {
    // Act
    const last = (await listRun(driveFolderImages, { folderToken: 'fldgen-2000', run: 'r1' })).at(-1)!;

    // Assess
    const manifest = lines(await readObject(last.manifest)).map((line) => JSON.parse(line).documentId as string);
    expect(new Set(manifest).size).toBe(manifest.length);
    const expected = [];
    for (let n = 1; n <= 2000; n += 1) if (n % 4 === 1 || n % 8 === 3) expected.push(`doxgenf2000x${n}`);
    expect(manifest.sort()).toEqual(expected.sort());
    expect(last).toMatchObject({ done: true, items: 2000, listingFailures: 0 });
  });

  it('lists only the nodes under the node it is given', async () => {
    // Act: node 1 of wikigen-300 has two children, 121 (a docx) and 122 (not), which have none.
    const last = (await listRun(wikiSpaceImages, { spaceId: 'wikigen-300', nodeToken: 'wikcn300x1', run: 'r1' })).at(
      -1,
    )!;

    // Assess
    expect(lines(await readObject(last.manifest))).toEqual(['{"documentId":"doxgenw300x121"}']);
    expect(last.manifest).toBe('results/wiki-space/wikigen-300/wikcn300x1/r1/mirror.jsonl');
  });

  it('gives up a parent whose pages would never end, keeping the children they gave, and goes on', async () => {
    // Prepare: the top level's page gives a token, and the page of that token gives it again.
    const node = {
      node_token: 'wikcn300x1',
      obj_token: 'doxgenw300x1',
      obj_type: 'docx',
      node_type: 'origin',
      has_child: true,
      title: 'Node 1',
      obj_edit_time: '1765000060',
    };
    const body = JSON.stringify({
      code: 0,
      msg: 'success',
      data: { items: [node], has_more: true, page_token: 'pgA' },
    });
    const raw = { type: 'raw', status: 200, headers: { 'content-type': 'application/json' }, body } as const;
    env.feishu.fault({ endpoint: 'wikiNodes', times: 2, kind: raw });

    // Act
    const last = (await listRun(wikiSpaceImages, { spaceId: 'wikigen-300', run: 'endless', refresh: true }, 60_000)).at(
      -1,
    )!;

    // Assess
    const cursor = JSON.parse(await readObject('results/wiki-space/wikigen-300/endless/cursor.json')) as CrawlCursor;
    expect(cursor.failures).toEqual([
      expect.objectContaining({
        parent: '',
        error: expect.objectContaining({ message: expect.stringMatching(/again/) }),
      }),
    ]);
    expect(lines(await readObject(last.manifest)).sort()).toEqual([
      '{"documentId":"doxgenw300x1"}',
      '{"documentId":"doxgenw300x121"}',
    ]);
  });

  it.each([
    ['err-131006', 'ForbiddenError', /add the app to the space as a member/],
    ['err-131005', 'NotFoundError', /does not exist/],
  ])('fails the run of the space %s with %s, saying what to do', async (spaceId, name, message) => {
    // Act
    const listing = wikiSpaceImages({ spaceId, run: 'r1' }, lambdaContext());

    // Assess
    await expect(listing).rejects.toMatchObject({ name, message: expect.stringMatching(message) });
  });

  it('says where a failed run stands: the cursor keeps what was listed, and the run resumes from it', async () => {
    // Prepare
    env.feishu.fault({ endpoint: 'wikiNodes', times: Infinity, kind: { type: 'status', status: 400, code: 131001 } });
    const payload = { spaceId: 'wikigen-300', run: 'resumed' };

    // Act
    const failed = wikiSpaceImages(payload, lambdaContext(9_000));
    await expect(failed).rejects.toMatchObject({ name: 'UpstreamError' });
    env.feishu.reset();
    const answers = await listRun(wikiSpaceImages, payload, 60_000);

    // Assess
    const cursor = JSON.parse(await readObject('results/wiki-space/wikigen-300/resumed/cursor.json')) as CrawlCursor;
    expect(cursor.invocations).toBe(2);
    expect(answers.at(-1)).toMatchObject({ done: true, found: wikiDocuments(300).length });
  });

  it('writes a summary of a run with nothing mirrored', async () => {
    // Prepare
    await listRun(wikiSpaceImages, { spaceId: 'wikigen-10', run: 'r1' }, 60_000);

    // Act
    const summary = (await wikiSpaceImages(
      { spaceId: 'wikigen-10', run: 'r1', summarize: {} },
      lambdaContext(),
    )) as RunSummary;

    // Assess
    expect(summary.documents).toEqual({ found: wikiDocuments(10).length, mirrored: 0, unchanged: 0, failed: 0 });
    expect(JSON.parse(await readObject('results/wiki-space/wikigen-10/r1/summary.json'))).toEqual(summary);
  });
});
