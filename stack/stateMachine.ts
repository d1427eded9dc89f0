import { calledEndpoints, type EndpointDescription, type RateLimit } from '../lib/endpoints';
import { ERROR_CODES } from '../lib/errors/errorCodes';
import { DISTRIBUTED_MAP_MAX_INPUT_BYTES, distributedMapMaxItems } from '../lib/request/parseDistributedMapBatch';
import { MANIFEST_PREFIX, RESULTS_PREFIX, STATE_MACHINE_FOLDER } from '../lib/request/readManifestRecord';
import type { CloudFormationResource } from './generateStack';
import { logicalIds } from './logicalIds';

/** What the state machine of an endpoint is generated from, beside its description. */
export interface StateMachineSettings {
  /** `provider.timeout`: the function's timeout, in seconds. */
  functionTimeoutSeconds: number;
  /** `provider.logRetentionInDays`: how long the state machine's error log is kept. */
  logRetentionInDays: number;
}

/** A state machine as serverless-step-functions declares it (`stepFunctions.stateMachines`). */
export interface ServerlessStateMachine {
  id: string;
  name: string;
  type: 'STANDARD';
  definition: Record<string, unknown>;
  role: { 'Fn::GetAtt': [string, 'Arn'] };
  loggingConfig: { level: 'ERROR'; includeExecutionData: false; destinations: { 'Fn::GetAtt': [string, 'Arn'] }[] };
}

/**
 * The time, in seconds, between one child execution's end and the next one's first Feishu call:
 * Step Functions starting the child and Lambda starting the function, cold at worst.
 */
const BATCH_GAP_SECONDS = 2;

/** Distributed Map runs at most this many child executions at once. */
const MAX_CHILD_EXECUTIONS = 10_000;

/**
 * The share of child executions that may fail before the run stops. An image that fails fails
 * only its line, inside its batch's answer; a child fails only when its whole batch failed
 * (the function misconfigured, Lambda failing), and when that happens to many, the rest would too.
 */
const TOLERATED_FAILURE_PERCENTAGE = 5;

/** Lambda's own transient failures, and a call that never came back: the batch is sent again. */
const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'States.Timeout',
];

/** The product's retryable error names (RateLimitedError, UpstreamError, …), from the error table. */
const RETRYABLE_ERRORS: string[] = Object.values(ERROR_CODES)
  .filter((entry) => entry.retryable)
  .map((entry) => entry.name);

/**
 * The sustained pace, in calls per second, that an endpoint's rate limit allows over hours: the
 * tightest of its per-second, per-minute and per-day limits, and of every endpoint it calls.
 *
 * @example
 * sustainedRate(im); // 16.67 (1000/min)
 */
export function sustainedRate(endpoint: EndpointDescription<string>): number {
  const paces = (limit: RateLimit): number[] => [
    limit.perSecond,
    ...(limit.perMinute === undefined ? [] : [limit.perMinute / 60]),
    ...(limit.perDay === undefined ? [] : [limit.perDay / 86_400]),
  ];
  return Math.min(...calledEndpoints(endpoint).flatMap((described) => paces(described.rateLimit)));
}

/**
 * The child executions an endpoint's Distributed Map runs at once: one batch alone can use the
 * whole rate limit (it keeps up to the per-second limit in flight, BATCH_CONCURRENCY), so the
 * others only cover the gap while a finished batch's child is replaced: in BATCH_GAP_SECONDS the
 * budget allows `sustainedRate × gap` calls, that is `ceil(rate × gap / batch size)` batches.
 * More would only wait for the budget, billed as Lambda time.
 *
 * @example
 * maxConcurrency(im); // 2: 1 + ceil(16.67 × 2 / 73)
 */
export function maxConcurrency(endpoint: EndpointDescription<string>): number {
  const covering = Math.ceil((sustainedRate(endpoint) * BATCH_GAP_SECONDS) / distributedMapMaxItems(endpoint));
  return Math.min(MAX_CHILD_EXECUTIONS, 1 + covering);
}

/** The logical ids of an endpoint's state machine and what belongs to it, after its function's name. */
export function stateMachineIds(capitalised: string): { stateMachine: string; role: string; logGroup: string } {
  return {
    stateMachine: `${capitalised}StateMachine`,
    role: `${capitalised}StateMachineRole`,
    logGroup: `${capitalised}StateMachineLogGroup`,
  };
}

/**
 * An endpoint's state machine, its role and its log group. Started with
 * `{"manifest": "requests/{kind}/state-machine/<name>.jsonl"}`, a Distributed Map reads the
 * manifest's lines (ItemReader, JSONL), hands the function batches of `distributedMapMaxItems`
 * (ItemBatcher), runs `maxConcurrency(endpoint)` of them at once, and writes every batch's
 * input and answer under `results/{kind}/` (ResultWriter). A batch that leaves items
 * retryable is sent again by error name (the function throws, `retryableItems: 'throw'`); once
 * those retries are spent, it is sent a last time to be answered as it stands. The role may
 * invoke only the endpoint's function, read only the state machine's manifests, write only the
 * kind's results, run only its own child executions and deliver its logs.
 *
 * @example
 * stateMachineParts(im, 'ImImage', { functionTimeoutSeconds: 60, logRetentionInDays: 30 }).stateMachine.name;
 * // '${self:service}-${sls:stage}-imImage'
 */
export function stateMachineParts(
  endpoint: EndpointDescription<string>,
  capitalised: string,
  settings: StateMachineSettings,
): { stateMachine: ServerlessStateMachine; resources: Record<string, CloudFormationResource> } {
  const ids = stateMachineIds(capitalised);
  const name = `\${self:service}-\${sls:stage}-${endpoint.functionName}`;
  const functionArn = { 'Fn::GetAtt': [logicalIds(endpoint).lambdaFunction, 'Arn'] };
  const manifests = `${MANIFEST_PREFIX}${endpoint.kind}/${STATE_MACHINE_FOLDER}`;
  const results = `${RESULTS_PREFIX}${endpoint.kind}/`;
  return {
    stateMachine: {
      id: ids.stateMachine,
      name,
      // Standard: a run of a million lines lasts hours, and an Express execution at most 5 minutes.
      type: 'STANDARD',
      definition: definition(endpoint, functionArn, manifests, results, settings),
      role: { 'Fn::GetAtt': [ids.role, 'Arn'] },
      loggingConfig: errorLogging(ids.logGroup),
    },
    resources: {
      [ids.role]: role(name, functionArn, manifests, results),
      [ids.logGroup]: logGroup(name, settings),
    },
  };
}

function definition(
  endpoint: EndpointDescription<string>,
  functionArn: unknown,
  manifests: string,
  results: string,
  settings: StateMachineSettings,
): Record<string, unknown> {
  const bucket = '${self:custom.imageBucket}';
  return {
    Comment:
      `Mirrors every line of a JSON Lines manifest of ${endpoint.noun}s, ${linesPerBatch(endpoint)} a batch. ` +
      `Input: {"manifest": "${manifests}<name>.jsonl"}; every batch's answer lands under ${results}.`,
    StartAt: 'MirrorManifest',
    States: {
      MirrorManifest: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSONL' },
          Parameters: { Bucket: bucket, 'Key.$': '$.manifest' },
        },
        ItemBatcher: {
          MaxItemsPerBatch: distributedMapMaxItems(endpoint),
          MaxInputBytesPerBatch: DISTRIBUTED_MAP_MAX_INPUT_BYTES,
        },
        MaxConcurrency: maxConcurrency(endpoint),
        ToleratedFailurePercentage: TOLERATED_FAILURE_PERCENTAGE,
        ItemProcessor: batchProcessor(functionArn, settings),
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: bucket, Prefix: results },
        },
        End: true,
      },
    },
  };
}

/**
 * A Lambda task of a state machine: the function called with that payload, its answer the
 * state's output. A call answers within the function's timeout; one that takes twice as long was lost.
 */
export function invokeTask(functionArn: unknown, payload: Record<string, unknown>, settings: StateMachineSettings) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: functionArn, Payload: payload },
    OutputPath: '$.Payload',
    TimeoutSeconds: 2 * settings.functionTimeoutSeconds,
  };
}

/** Lambda's transient failures, retried on every task. */
export const LAMBDA_RETRY = {
  ErrorEquals: LAMBDA_TRANSIENT_ERRORS,
  IntervalSeconds: 2,
  MaxAttempts: 4,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

/**
 * The retries of a task whose errors carry the product's names: a rate limit waits for Feishu's
 * minute windows, any other retryable error a few seconds, Lambda's own failures as LAMBDA_RETRY.
 */
export const PRODUCT_RETRIES = [
  // The function has waited for the limit as long as its time allowed; Feishu's windows last a minute.
  {
    ErrorEquals: ['RateLimitedError'],
    IntervalSeconds: 15,
    MaxAttempts: 4,
    BackoffRate: 2,
    MaxDelaySeconds: 120,
    JitterStrategy: 'FULL',
  },
  {
    ErrorEquals: RETRYABLE_ERRORS.filter((name) => name !== 'RateLimitedError'),
    IntervalSeconds: 5,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
  LAMBDA_RETRY,
];

/**
 * The child execution of a Distributed Map that hands its batch to the function: a batch that
 * leaves items retryable is sent again by error name (the function throws, `retryableItems:
 * 'throw'`); once those retries are spent, it is sent a last time to be answered as it stands.
 */
export function batchProcessor(
  functionArn: unknown,
  settings: StateMachineSettings,
  // State names are unique across a definition, its Map states' own included: a second Map names its states apart.
  names = { first: 'MirrorBatch', last: 'AnswerBatch' },
) {
  const invoke = (payload: Record<string, unknown>) => invokeTask(functionArn, payload, settings);
  return {
    // Standard child executions: a batch's retries may wait longer than an Express one lives (5 minutes).
    ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
    StartAt: names.first,
    States: {
      [names.first]: {
        ...invoke({ 'Items.$': '$.Items', BatchInput: { retryableItems: 'throw' } }),
        Retry: PRODUCT_RETRIES,
        // Retries spent: the batch is answered as it stands, its retryable items failed in their lines.
        Catch: [{ ErrorEquals: RETRYABLE_ERRORS, ResultPath: '$.retriesSpent', Next: names.last }],
        End: true,
      },
      [names.last]: { ...invoke({ 'Items.$': '$.Items' }), Retry: [LAMBDA_RETRY], End: true },
    },
  };
}

function role(name: string, functionArn: unknown, manifests: string, results: string): CloudFormationResource {
  return stateMachineRole(name, 'mirror-manifests', [
    { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [functionArn] },
    // ItemReader reads the manifest whole, with GetObject.
    { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [bucketObjects(manifests)] },
    // ResultWriter uploads its files in parts, and may read back and abort them.
    {
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      Resource: [bucketObjects(results)],
    },
  ]);
}

/** The error log of a state machine, kept `logRetentionInDays`. */
export function logGroup(name: string, settings: StateMachineSettings): CloudFormationResource {
  return {
    Type: 'AWS::Logs::LogGroup',
    Properties: {
      // Under /aws/vendedlogs/, so that log delivery does not grow the account's resource policy.
      LogGroupName: `/aws/vendedlogs/states/${name}`,
      RetentionInDays: settings.logRetentionInDays,
    },
  };
}

/** Errors only, and never the execution data: payloads may hold a caller's user token. */
export function errorLogging(logGroupId: string): ServerlessStateMachine['loggingConfig'] {
  return { level: 'ERROR', includeExecutionData: false, destinations: [{ 'Fn::GetAtt': [logGroupId, 'Arn'] }] };
}

/** An ARN of this partition: `arn:<partition><parts…>`. */
export function partitionArn(...parts: unknown[]) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...parts]] };
}

/** The objects of the image bucket under a prefix. */
export function bucketObjects(prefix: string) {
  return partitionArn(':s3:::', '${self:custom.imageBucket}', `/${prefix}*`);
}

/** `:region:account`, for ARNs of this stack's account. */
const ACCOUNT = [':', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }];

/** The ARN of a state machine of this account, by its name. */
export function stateMachineArnOf(name: string) {
  return partitionArn(':states', ...ACCOUNT, `:stateMachine:${name}`);
}

/**
 * The role of a state machine: only it may take the role; it may do what `statements` allow,
 * start its own child executions (a Distributed Map's), and deliver its logs.
 */
export function stateMachineRole(name: string, policyName: string, statements: unknown[]): CloudFormationResource {
  const arn = partitionArn;
  const account = ACCOUNT;
  const stateMachineArn = stateMachineArnOf(name);
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'states.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // Only this state machine of this account may take the role.
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': stateMachineArn },
            },
          },
        ],
      },
      Policies: [
        {
          PolicyName: policyName,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              ...statements,
              // A Distributed Map starts its child executions as executions of the state machine itself.
              { Effect: 'Allow', Action: ['states:StartExecution'], Resource: [stateMachineArn] },
              {
                Effect: 'Allow',
                Action: ['states:DescribeExecution', 'states:StopExecution'],
                Resource: [arn(':states', ...account, `:execution:${name}/*`)],
              },
              // CloudWatch Logs' delivery actions take no resource: AWS requires '*' for them.
              {
                Effect: 'Allow',
                Action: [
                  'logs:CreateLogDelivery',
                  'logs:GetLogDelivery',
                  'logs:UpdateLogDelivery',
                  'logs:DeleteLogDelivery',
                  'logs:ListLogDeliveries',
                  'logs:PutResourcePolicy',
                  'logs:DescribeResourcePolicies',
                  'logs:DescribeLogGroups',
                ],
                Resource: ['*'],
              },
            ],
          },
        },
      ],
    },
  };
}

function linesPerBatch(endpoint: EndpointDescription<string>): string {
  const lines = distributedMapMaxItems(endpoint);
  return lines === 1 ? 'one line' : `${lines} lines`;
}
