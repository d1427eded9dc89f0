import validator from 'asl-validator';
import { docx, PLACES, whiteboard } from '../../../lib/endpoints';
import { maxConcurrency } from '../../../stack/stateMachine';
import { SHIPPED_PARTS } from './definitionParts';

const parts = SHIPPED_PARTS;
const EACH = PLACES.map((place) => [place.functionName, place] as const);

type Statement = { Action: string[]; Resource: unknown[] };

describe('The generated state machines of places (stack/placeStack.ts)', () => {
  it.each(EACH)("%s's definition is valid Amazon States Language", (name) => {
    // Act
    const { isValid, errors } = validator(parts.stateMachines[name]!.definition);

    // Assess
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it.each(EACH)('%s lists until done, then mirrors the documents found one a batch, then summarizes', (name) => {
    // Prepare
    const states = parts.stateMachines[name]!.definition.States as Record<string, Record<string, unknown>>;

    // Assess
    expect(parts.stateMachines[name]!.definition.StartAt).toBe('ListPlace');
    expect(states.ListPlace).toMatchObject({ Type: 'Task', Next: 'Listed' });
    expect(states.Listed).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'AnyToMirror' }],
      Default: 'ListPlace',
    });
    expect(states.AnyToMirror).toMatchObject({
      Choices: [{ Variable: '$.toMirror', NumericGreaterThan: 0, Next: 'MirrorDocuments' }],
      Default: 'NothingToMirror',
    });
    expect(states.NothingToMirror).toMatchObject({ Type: 'Pass', ResultPath: '$.mirrored', Next: 'AnyWhiteboards' });
    expect(states.MirrorDocuments).toMatchObject({
      Type: 'Map',
      ItemBatcher: { MaxItemsPerBatch: 1 },
      MaxConcurrency: maxConcurrency(docx),
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' } },
      ResultPath: '$.mirrored',
      Next: 'AnyWhiteboards',
    });
    expect(states.AnyWhiteboards).toMatchObject({
      Choices: [{ Variable: '$.whiteboards', NumericGreaterThan: 0, Next: 'RefreshWhiteboards' }],
      Default: 'Summarize',
    });
    expect(states.RefreshWhiteboards).toMatchObject({
      Type: 'Map',
      MaxConcurrency: maxConcurrency(whiteboard),
      ResultPath: '$.whiteboardsRefreshed',
      Next: 'Summarize',
    });
    expect(states.Summarize).toMatchObject({ Type: 'Task', End: true });
  });

  it.each(EACH)('%s: its role invokes only its function and docxImages, and touches only its own results', (name) => {
    // Prepare
    const capitalised = name[0]!.toUpperCase() + name.slice(1);
    const role = parts.resources.Resources[`${capitalised}StateMachineRole`]!;
    const statements = (role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[])[0]!.PolicyDocument
      .Statement;
    const place = PLACES.find((candidate) => candidate.functionName === name)!;

    // Assess
    const invoke = statements.find((statement) => statement.Action.includes('lambda:InvokeFunction'))!;
    expect(invoke.Resource).toEqual([
      { 'Fn::GetAtt': [`${capitalised}LambdaFunction`, 'Arn'] },
      { 'Fn::GetAtt': ['DocxImagesLambdaFunction', 'Arn'] },
      { 'Fn::GetAtt': ['WhiteboardImageLambdaFunction', 'Arn'] },
    ]);
    const objects = statements.filter((statement) => statement.Action.some((action) => action.startsWith('s3:')));
    expect(JSON.stringify(objects)).toContain(`/results/${place.kind}/*`);
    expect(JSON.stringify(objects)).not.toContain('/results/*');
  });

  it.each(EACH)('%s answers POST on its route behind the API key and ships a daily schedule, disabled', (name) => {
    // Prepare
    const place = PLACES.find((candidate) => candidate.functionName === name)!;

    // Assess
    expect(parts.functions[name]!.events).toEqual([
      { http: { path: place.route.slice(1), method: 'post', private: true } },
      { schedule: { rate: 'rate(1 day)', enabled: false } },
    ]);
    expect(parts.functions[name]!.environment).toHaveProperty(place.scheduledIdsSetting);
    expect(parts.functions[name]!.environment).toHaveProperty('STATE_MACHINE_ARN');
  });

  it.each(EACH)("%s's alarms: its errors, throttles, rate-limit answers, budget fallbacks and failed runs", (name) => {
    // Prepare
    const capitalised = name[0]!.toUpperCase() + name.slice(1);
    const alarms = Object.keys(parts.resources.Resources).filter(
      (id) => id.startsWith(capitalised) && id.endsWith('Alarm'),
    );

    // Assess
    expect(alarms.sort()).toEqual(
      ['Errors', 'FailedRuns', 'RateLimited', 'SharedBudgetFallbacks', 'Throttles'].map(
        (alarm) => `${capitalised}${alarm}Alarm`,
      ),
    );
    expect(parts.resources.Resources[`${capitalised}FailedRunsAlarm`]!.Properties).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: `${capitalised}StateMachine` } }],
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
  });
});
