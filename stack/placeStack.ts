import { type PLACES, whiteboard } from '../lib/endpoints';
import { distributedMapMaxItems } from '../lib/request/parseDistributedMapBatch';
import { RESULTS_PREFIX } from '../lib/request/readManifestRecord';
import type { CloudFormationResource, ServerlessFunction } from './generateStack';
import { logicalIds } from './logicalIds';
import {
  batchProcessor,
  bucketObjects,
  errorLogging,
  invokeTask,
  logGroup,
  maxConcurrency,
  PRODUCT_RETRIES,
  type ServerlessStateMachine,
  type StateMachineSettings,
  stateMachineArnOf,
  stateMachineIds,
  stateMachineRole,
} from './stateMachine';

/** A place's description, its `folder` and `schedule` given. */
type Place = (typeof PLACES)[number];

/** The prefixes under which a place's Distributed Maps write each run's results (ResultWriter). */
export const MIRRORED_FOLDER = 'mirrored/';
export const WHITEBOARDS_FOLDER = 'whiteboards/';

/**
 * The parts of the stack of one place (a wiki space, a Drive folder), beside those of the image
 * endpoints (generateStack.ts):
 * - **its function**, answering `POST {route}` behind the API key (202, the run started or
 *   already running), started by its daily schedule (shipped disabled), and called by its state
 *   machine; it knows its state machine by name (`STATE_MACHINE_ARN`), not by reference, which
 *   would make the function and the state machine depend on each other;
 * - **its state machine**: the listing, invoked again and again (ListPlace, Listed) until the
 *   place is listed; when any document is to mirror, a Distributed Map over them, one a batch, through the
 *   document endpoint's function (`docxImages`), as many at once as the document endpoint's
 *   limits keep busy, its results written under `results/{kind}/mirrored/`; when the documents
 *   left unchanged hold whiteboards, a Distributed Map refreshing them through `whiteboardImage`
 *   (their results under `results/{kind}/whiteboards/`); the summary;
 * - **its role**, which may invoke only its own function, the document endpoint's and the whiteboards',
 *   touch only the place's results, and start only its own child executions;
 * - **a policy of the functions' role** letting the function start and list its state
 *   machine's executions and read its runs' objects.
 *
 * @example
 * placeParts(wikiSpace, settings, environment).stateMachine.name; // '${self:service}-${sls:stage}-wikiSpaceImages'
 */
export function placeParts(
  place: Place,
  settings: StateMachineSettings,
  environment: Record<string, string>,
): {
  function: ServerlessFunction;
  stateMachine: ServerlessStateMachine;
  resources: Record<string, CloudFormationResource>;
} {
  const { capitalised, lambdaFunction } = logicalIds(place);
  const ids = stateMachineIds(capitalised);
  const name = `\${self:service}-\${sls:stage}-${place.functionName}`;
  const documents = place.folder.endpoint;
  const placeArn = { 'Fn::GetAtt': [lambdaFunction, 'Arn'] };
  const documentArn = { 'Fn::GetAtt': [logicalIds(documents).lambdaFunction, 'Arn'] };
  const whiteboardArn = { 'Fn::GetAtt': [logicalIds(whiteboard).lambdaFunction, 'Arn'] };
  const results = `${RESULTS_PREFIX}${place.kind}/`;
  return {
    function: {
      handler: `functions/${place.functionName}.handler`,
      description: `Lists a Feishu ${place.noun} and mirrors ${place.mirrors} through its state machine`,
      environment: { ...environment, STATE_MACHINE_ARN: stateMachineArnOf(name) as unknown as string },
      events: [
        { http: { path: place.route.replace(/^\//, ''), method: 'post', private: true } },
        { schedule: { ...place.schedule } },
      ],
    },
    stateMachine: {
      id: ids.stateMachine,
      name,
      type: 'STANDARD',
      definition: definition(place, { placeArn, documentArn, whiteboardArn }, results, settings),
      role: { 'Fn::GetAtt': [ids.role, 'Arn'] },
      loggingConfig: errorLogging(ids.logGroup),
    },
    resources: {
      [ids.role]: stateMachineRole(name, 'mirror-places', [
        { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [placeArn, documentArn, whiteboardArn] },
        // ItemReader reads the run's documents to mirror; ResultWriter writes each document's answer.
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
          Resource: [bucketObjects(results)],
        },
      ]),
      [ids.logGroup]: logGroup(name, settings),
      [`${capitalised}RunsPolicy`]: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: `${place.functionName}-runs`,
          Roles: [{ Ref: 'IamRoleLambdaExecution' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['states:StartExecution', 'states:ListExecutions'],
                Resource: [stateMachineArnOf(name)],
              },
              { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [bucketObjects(results)] },
            ],
          },
        },
      },
    },
  };
}

/**
 * Started with `{"spaceId": "…"}` (`nodeToken`, `refresh` optional), the run's name its id:
 * every step is sent the execution's input as `place` and its name as `run`.
 */
function definition(
  place: Place,
  arns: { placeArn: unknown; documentArn: unknown; whiteboardArn: unknown },
  results: string,
  settings: StateMachineSettings,
): Record<string, unknown> {
  const { placeArn, documentArn, whiteboardArn } = arns;
  const step = { 'place.$': '$$.Execution.Input', 'run.$': '$$.Execution.Name' };
  const documents = place.folder.endpoint;
  const overJsonLines = (key: string, prefix: string) => ({
    ItemReader: {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSONL' },
      Parameters: { Bucket: '${self:custom.imageBucket}', 'Key.$': key },
    },
    ResultWriter: {
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: '${self:custom.imageBucket}', Prefix: `${results}${prefix}` },
    },
  });
  return {
    Comment:
      `Mirrors every docx document of a ${place.noun}: lists it over as many invocations as it takes, ` +
      `mirrors the documents found (those edited since the last finished run, all with refresh) one a batch, ` +
      `and writes the run's summary under ${results}.`,
    StartAt: 'ListPlace',
    States: {
      ListPlace: { ...invokeTask(placeArn, step, settings), Retry: PRODUCT_RETRIES, Next: 'Listed' },
      Listed: {
        Type: 'Choice',
        Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'AnyToMirror' }],
        Default: 'ListPlace',
      },
      // A daily run finds nothing edited most days: no Map run, no manifest for ItemReader to read empty.
      AnyToMirror: {
        Type: 'Choice',
        Choices: [{ Variable: '$.toMirror', NumericGreaterThan: 0, Next: 'MirrorDocuments' }],
        Default: 'NothingToMirror',
      },
      NothingToMirror: { Type: 'Pass', Result: {}, ResultPath: '$.mirrored', Next: 'AnyWhiteboards' },
      MirrorDocuments: {
        Type: 'Map',
        ...overJsonLines('$.manifest', MIRRORED_FOLDER),
        // One document a batch: its answer is compact when large, so a document of any size fits.
        ItemBatcher: { MaxItemsPerBatch: 1 },
        MaxConcurrency: maxConcurrency(documents),
        // A document that fails is one line of the summary, never the end of the run.
        ToleratedFailurePercentage: 100,
        ItemProcessor: batchProcessor(documentArn, settings),
        ResultPath: '$.mirrored',
        Next: 'AnyWhiteboards',
      },
      // The whiteboards of documents left unchanged change as they are edited: refreshed on their own.
      AnyWhiteboards: {
        Type: 'Choice',
        Choices: [{ Variable: '$.whiteboards', NumericGreaterThan: 0, Next: 'RefreshWhiteboards' }],
        Default: 'Summarize',
      },
      RefreshWhiteboards: {
        Type: 'Map',
        ...overJsonLines('$.whiteboardManifest', WHITEBOARDS_FOLDER),
        ItemBatcher: { MaxItemsPerBatch: distributedMapMaxItems(whiteboard) },
        MaxConcurrency: maxConcurrency(whiteboard),
        ToleratedFailurePercentage: 100,
        ItemProcessor: batchProcessor(whiteboardArn, settings, { first: 'RefreshBatch', last: 'AnswerRefreshBatch' }),
        ResultPath: '$.whiteboardsRefreshed',
        Next: 'Summarize',
      },
      Summarize: {
        ...invokeTask(placeArn, { ...step, 'summarize.$': '$' }, settings),
        Retry: PRODUCT_RETRIES,
        End: true,
      },
    },
  };
}
