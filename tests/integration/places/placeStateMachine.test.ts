import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { RunSummary } from '../../../lib/batch/summarizeRun';
import { containerClients } from '../../../lib/clients/containerClients';
import { handler as docxImages } from '../../../functions/docxImages';
import { handler as driveFolderImages } from '../../../functions/driveFolderImages';
import { handler as whiteboardImage } from '../../../functions/whiteboardImage';
import { handler as wikiSpaceImages } from '../../../functions/wikiSpaceImages';
import { SHIPPED_PARTS } from '../../unit/stepfunctions/definitionParts';
import { runPlaceStateMachine } from '../../support/runPlaceStateMachine';
import { wikiDocuments } from '../../support/placeRuns';
import { useMirrorEnvironment } from '../../support/useMirrorEnvironment';

const stateMachine = SHIPPED_PARTS.stateMachines.wikiSpaceImages!;
const handlers = { place: wikiSpaceImages, documents: docxImages, whiteboards: whiteboardImage };

/** The whiteboards of the sandbox's generated documents: one in every fifth (servedSpaces.ts). */
const boardsOf = (documents: string[]) => documents.filter((id) => Number(id.split('x').pop()) % 5 === 0).length;
/** Their images: one each, and the whiteboards. */
const imagesOf = (documents: string[]) => documents.length + boardsOf(documents);

async function storedImages(): Promise<number> {
  const s3 = containerClients().s3(true);
  let count = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: process.env.IMAGE_BUCKET, Prefix: 'feishu/', ContinuationToken: token }),
    );
    count += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return count;
}

describe("A wiki space's state machine, run locally", () => {
  describe('at the speed of the machine', () => {
    const env = useMirrorEnvironment({
      env: {
        WIKI_SPACE_RATE_LIMIT: '1000/s,60000/min',
        DOCX_RATE_LIMIT: '1000/s',
        DRIVE_MEDIA_RATE_LIMIT: '1000/s,100000/day',
        WHITEBOARD_RATE_LIMIT: '1000/s',
      },
    });

    it('mirrors every docx document of a 2,000-node space once, listed over several invocations, ' +
      'and a second run after two edits mirrors those two only', async () => {
      // Prepare
      const documents = wikiDocuments(2000);

      // Act
      const first = await runPlaceStateMachine(stateMachine, { spaceId: 'wikigen-2000' }, 'first', handlers, 9_000);
      env.feishu.editDocument(documents[10]!);
      env.feishu.editDocument(documents[500]!);
      env.feishu.reset();
      const second = await runPlaceStateMachine(stateMachine, { spaceId: 'wikigen-2000' }, 'second', handlers);

      // Assess
      const summary = first.output as RunSummary;
      expect(first.listingSteps).toBeGreaterThanOrEqual(4);
      expect(first.children).toBe(documents.length);
      expect(summary.documents).toEqual({
        found: documents.length,
        mirrored: documents.length,
        unchanged: 0,
        failed: 0,
      });
      expect(summary.images).toEqual({ stored: imagesOf(documents), failed: 0 });
      expect(await storedImages()).toBe(imagesOf(documents));
      expect((second.output as RunSummary).documents).toEqual({
        found: documents.length,
        mirrored: 2,
        unchanged: documents.length - 2,
        failed: 0,
      });
      const edited = [documents[10]!, documents[500]!];
      const read = env.feishu.requests.filter((request) => request.endpoint === 'docxBlocks').map((r) => r.path);
      expect(new Set(read)).toEqual(new Set(edited.map((id) => `/open-apis/docx/v1/documents/${id}/blocks`)));
      // The whiteboards of the documents left unchanged are refreshed on their own, one call each.
      const unchangedBoards = boardsOf(documents.filter((id) => !edited.includes(id)));
      expect((second.output as RunSummary).whiteboards).toEqual({ refreshed: unchangedBoards, failed: 0 });
      const boardCalls = env.feishu.requests.filter((request) => request.endpoint === 'whiteboard');
      expect(boardCalls).toHaveLength(unchangedBoards + boardsOf(edited));
    }, 600_000);

    it('lists a failed document with its error, tries it again, and runs no Map when nothing changed', async () => {
      // Prepare
      env.feishu.fault({ endpoint: 'docxBlocks', times: 1, kind: { type: 'status', status: 403, code: 1770032 } });

      // Act
      const first = await runPlaceStateMachine(stateMachine, { spaceId: 'wikigen-30' }, 'first', handlers);
      const second = await runPlaceStateMachine(stateMachine, { spaceId: 'wikigen-30' }, 'second', handlers);
      const third = await runPlaceStateMachine(stateMachine, { spaceId: 'wikigen-30' }, 'third', handlers);

      // Assess
      const summary = first.output as RunSummary;
      expect(summary.documents.failed).toBe(1);
      expect(summary.failures[0]).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect((second.output as RunSummary).documents).toMatchObject({ mirrored: 1, failed: 0 });
      // Nothing edited since: no document mirrored, only the whiteboards of the unchanged ones refreshed.
      expect(third.children).toBe(0);
      expect(third.whiteboardBatches).toBe(1);
      expect((third.output as RunSummary).documents).toMatchObject({ mirrored: 0, unchanged: summary.documents.found });
    });

    it('mirrors every docx document of a Drive folder tree through its own state machine', async () => {
      // Prepare
      const folder = SHIPPED_PARTS.stateMachines.driveFolderImages!;
      const expected: string[] = [];
      for (let n = 1; n <= 600; n += 1) if (n % 4 === 1 || n % 8 === 3) expected.push(`doxgenf600x${n}`);

      // Act
      const run = await runPlaceStateMachine(folder, { folderToken: 'fldgen-600' }, 'first', {
        place: driveFolderImages,
        documents: docxImages,
      });

      // Assess
      expect((run.output as RunSummary).documents).toEqual({
        found: expected.length,
        mirrored: expected.length,
        unchanged: 0,
        failed: 0,
      });
      expect(run.children).toBe(expected.length);
    });
  });
});
