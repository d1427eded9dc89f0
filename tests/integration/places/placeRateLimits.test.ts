import type { RunSummary } from '../../../lib/batch/summarizeRun';
import { handler as docxImages } from '../../../functions/docxImages';
import { handler as whiteboardImage } from '../../../functions/whiteboardImage';
import { handler as wikiSpaceImages } from '../../../functions/wikiSpaceImages';
import { SHIPPED_PARTS } from '../../unit/stepfunctions/definitionParts';
import { wikiDocuments } from '../../support/placeRuns';
import { runPlaceStateMachine } from '../../support/runPlaceStateMachine';
import { useMirrorEnvironment } from '../../support/useMirrorEnvironment';

const stateMachine = SHIPPED_PARTS.stateMachines.wikiSpaceImages!;
const handlers = { place: wikiSpaceImages, documents: docxImages, whiteboards: whiteboardImage };

describe("A wiki space's state machine, run locally within Feishu's limits", () => {
  // The budget every invocation shares, as the stack keeps it in its table: the Distributed Map runs children at once.
  const env = useMirrorEnvironment({ feishu: { rateLimits: true }, sharedBudget: true });

  it('keeps every endpoint within its rate limit across the listing and the mirroring', async () => {
    // Act
    const run = await runPlaceStateMachine(stateMachine, { spaceId: 'wikigen-150' }, 'limited', handlers);

    // Assess
    expect((run.output as RunSummary).documents).toMatchObject({ found: wikiDocuments(150).length, failed: 0 });
    expect(env.feishu.requests.filter((request) => request.status === 429)).toEqual([]);
    const calls = (endpoint: string) => env.feishu.requests.filter((request) => request.endpoint === endpoint);
    expect(calls('wikiNodes').length).toBeGreaterThan(10);
    expect(calls('docxBlocks').length).toBe(wikiDocuments(150).length);
    expect(calls('driveMedia').length).toBe(wikiDocuments(150).length);
  }, 300_000);
});
