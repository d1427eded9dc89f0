import type { APIGatewayProxyResult } from 'aws-lambda';
import type { RunStarter } from '../../../lib/clients/stepFunctions';
import { wikiSpace } from '../../../lib/endpoints';
import { createPlaceHandler } from '../../../lib/handler/createPlaceHandler';
import type { StartedRun } from '../../../lib/triggers/startPlaceRun';
import { lambdaContext } from '../../support/lambdaContext';
import { loadEvent } from '../../support/loadEvent';
import { useMirrorEnvironment } from '../../support/useMirrorEnvironment';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:feishu-image-mirror-dev-wikiSpaceImages';

/** A state machine in memory: the executions started, and those still running. */
function fakeStateMachine() {
  const started: { name: string; input: unknown }[] = [];
  const running = new Set<string>();
  const starter: RunStarter = {
    running: async (_, matches) => [...running].find(matches),
    start: async (_, name, input) => {
      if (started.some((execution) => execution.name === name)) return false;
      started.push({ name, input });
      running.add(name);
      return true;
    },
  };
  return { starter, started, running };
}

describe('Function: wikiSpaceImages, starting runs', () => {
  useMirrorEnvironment({ env: { STATE_MACHINE_ARN: ARN, SCHEDULED_WIKI_SPACE_IDS: 'spA,spB' } });

  it('answers POST /wiki/spaces/{spaceId}/mirror with 202, the run and where its summary will be', async () => {
    // Prepare
    const machine = fakeStateMachine();
    const handler = createPlaceHandler(wikiSpace, undefined, machine.starter);
    const event = {
      ...structuredClone(loadEvent<Record<string, unknown>>('apigw-rest/whiteboard.json')),
      httpMethod: 'POST',
      resource: '/wiki/spaces/{spaceId}/mirror',
      path: '/wiki/spaces/sp1/mirror',
      pathParameters: { spaceId: 'sp1' },
      queryStringParameters: { refresh: 'true' },
    };

    // Act
    const answer = (await handler(event, lambdaContext())) as APIGatewayProxyResult;

    // Assess
    expect(answer.statusCode).toBe(202);
    const run = JSON.parse(answer.body) as StartedRun;
    expect(run).toMatchObject({ kind: 'wiki-space', source: { spaceId: 'sp1' }, status: 'started' });
    expect(run.run).toMatch(/^sp1-\d{8}T\d{6}Z$/);
    expect(run.summary).toBe(`results/wiki-space/sp1/${run.run}/summary.json`);
    expect(machine.started).toEqual([{ name: run.run, input: { spaceId: 'sp1', refresh: true } }]);
  });

  it('answers the run already going for the same space instead of starting another', async () => {
    // Prepare
    const machine = fakeStateMachine();
    const handler = createPlaceHandler(wikiSpace, undefined, machine.starter);
    machine.running.add('sp1-20261207T110000Z');
    machine.running.add('sp1-x-20261207T110000Z');

    // Act
    const again = (await handler({ spaceId: 'sp1' }, lambdaContext())) as StartedRun;
    const other = (await handler({ spaceId: 'sp1-x-2' }, lambdaContext())) as StartedRun;

    // Assess
    expect(again).toMatchObject({ run: 'sp1-20261207T110000Z', status: 'running' });
    expect(other.status).toBe('started');
    expect(machine.started.map((execution) => execution.name)).toEqual([other.run]);
  });

  it('starts a run for every space its schedule names', async () => {
    // Prepare
    const machine = fakeStateMachine();
    const handler = createPlaceHandler(wikiSpace, undefined, machine.starter);
    const scheduled = loadEvent<Record<string, unknown>>('eventbridge/scheduled-event.json');

    // Act
    const runs = (await handler(scheduled, lambdaContext())) as StartedRun[];

    // Assess
    expect(runs.map((run) => run.source.spaceId)).toEqual(['spA', 'spB']);
    expect(machine.started.map((execution) => execution.input)).toEqual([
      { spaceId: 'spA', refresh: false },
      { spaceId: 'spB', refresh: false },
    ]);
  });

  it('answers MISCONFIGURED, starting nothing, when STATE_MACHINE_ARN is no ARN (npm start has none)', async () => {
    // Prepare
    process.env.STATE_MACHINE_ARN = '[object Object]';
    const machine = fakeStateMachine();
    const handler = createPlaceHandler(wikiSpace, undefined, machine.starter);

    // Act
    const outcome = handler({ spaceId: 'sp1' }, lambdaContext()).finally(() => {
      process.env.STATE_MACHINE_ARN = ARN;
    });

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'MISCONFIGURED', message: expect.stringContaining('ARN') });
    expect(machine.started).toEqual([]);
  });

  it('refuses a payload with a field it does not know', async () => {
    // Prepare
    const handler = createPlaceHandler(wikiSpace, undefined, fakeStateMachine().starter);

    // Act
    const answer = handler({ spaceId: 'sp1', folderToken: 'x' }, lambdaContext());

    // Assess
    await expect(answer).rejects.toMatchObject({ name: 'InvalidRequestError' });
  });
});
