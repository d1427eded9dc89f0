import { ENDPOINTS, type EndpointDescription, PLACES, RECEIVERS } from '../lib/endpoints';
import { MANIFEST_PREFIX } from '../lib/request/readManifestRecord';
import { rateLimitSettingName } from '../lib/settings/loadSettings';
import { type AlarmSettings, alarmParts, placeAlarms, readAlarmSettings, receiverAlarms } from './alarms';
import { dashboardResource } from './dashboard';
import { logicalIds } from './logicalIds';
import { OPENAPI_FUNCTION, OPENAPI_ROUTE } from './openApiDocument';
import { placeParts } from './placeStack';
import { receiverParts } from './receiverParts';
import { type ServerlessStateMachine, type StateMachineSettings, stateMachineParts } from './stateMachine';

/** The stack-wide facts the per-endpoint parts depend on, read from serverless.yml. */
export interface StackSettings extends StateMachineSettings {
  /** `custom.sqsMaxConcurrency` (SQS_MAX_CONCURRENCY): the most invocations each queue runs at once. */
  sqsMaxConcurrency: number;
  /** `custom.alarms` (ALARM_…): the alarms' thresholds and the address told of them. */
  alarms: AlarmSettings;
}

/**
 * The per-endpoint parts of serverless.yml: its `functions`, one fragment of its `resources`, and
 * the state machines of `stepFunctions.stateMachines`.
 */
export interface StackParts {
  functions: Record<string, ServerlessFunction>;
  resources: {
    Resources: Record<string, CloudFormationResource>;
    Conditions: Record<string, unknown>;
    Outputs: Record<string, { Value: unknown }>;
  };
  stateMachines: Record<string, ServerlessStateMachine>;
  /** Each function's queue URL, by function name (`custom.stackQueueUrls`), for the settings that name one. */
  queueUrls: Record<string, { Ref: string }>;
}

/** A function as serverless.yml declares it. */
export interface ServerlessFunction {
  handler: string;
  description: string;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: number;
  /** A role of the stack's own (its logical id) instead of the one every function shares. */
  role?: string;
  /** Whether the function has a Function URL (`AuthType` NONE). */
  url?: boolean;
  events: Record<string, unknown>[];
}

/** A CloudFormation resource. */
export interface CloudFormationResource {
  Type: string;
  /** The condition under which CloudFormation creates it, from the template's `Conditions`. */
  Condition?: string;
  Properties: Record<string, unknown>;
}

/** Lambda advises a queue's visibility timeout of at least six times the function's timeout. */
const VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT = 6;
/** Receives before a message rests in the dead-letter queue: a failure that will not change stops coming back. */
const MAX_RECEIVES = 5;
/** SQS's longest retention, 14 days: time to look at a dead letter and send it back. */
const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;
/** Lambda's largest batch for a standard queue without a batching window. */
const SQS_BATCH_SIZE = 10;
/**
 * Invocations each queue runs at once unless SQS_MAX_CONCURRENCY says otherwise: Lambda's least.
 * Every invocation keeps the whole rate limit busy on its own, so more would only wait for it.
 */
const DEFAULT_SQS_MAX_CONCURRENCY = 2;
/** Lambda's bounds for an SQS event source's `maximumConcurrency`. */
const SQS_MAX_CONCURRENCY_RANGE = { min: 2, max: 1000 } as const;

/**
 * The per-endpoint parts of the stack, one set per description, by the same rules for each
 * endpoint; serverless.yml holds everything that is the same for all functions. For an
 * endpoint whose `functionName` is `imImage` (logical ids start with its capitalised name,
 * `ImImage`):
 * - **the function** `imImage`, with handler `functions/imImage.handler` and the description
 *   "Mirrors {mirrors} into S3 and answers with a presigned URL" (a document's: "with presigned URLs");
 * - **its environment**: every endpoint's own settings, passed through from the environment of
 *   the deploy or offline run (empty means the default): `<KIND>_RATE_LIMIT`
 *   (`rateLimitSettingName`) and the `scheduledIdsSetting` of those that have one. Each
 *   function reads only its own; all of them carry all, as the provider's environment did;
 * - **an HTTP GET** on the description's `route`, behind the API key (`private: true`);
 * - **an SQS event** from its own queue, 10 messages at a time, reporting failed messages one
 *   by one (`ReportBatchItemFailures`), with at most `sqsMaxConcurrency` invocations at once
 *   (`maximumConcurrency`): more would only wait for Feishu's rate limit;
 * - **an S3 event** for objects created under `requests/{kind}/` in the image bucket, attached
 *   by serverless once the bucket and the functions exist (`existing: true`), which avoids a
 *   circular dependency between the bucket and functions naming it;
 * - **a schedule**, where the description ships one (`schedule`);
 * - **its queue** `ImImageQueue`, named `{service}-{stage}-imImage`, encrypted, with a
 *   visibility timeout of six times the functions' timeout, handing a message to its dead-letter
 *   queue after 5 receives;
 * - **its dead-letter queue** `ImImageDeadLetterQueue`, named `…-imImage-dlq`, encrypted,
 *   keeping messages 14 days;
 * - **the outputs** `ImImageQueueUrl` and `ImImageDeadLetterQueueUrl`;
 * - **its state machine** `imImage`, logical id `ImImageStateMachine`, named
 *   `{service}-{stage}-imImage`: a Distributed Map over a manifest of any size, with its role
 *   `ImImageStateMachineRole` and its error log `ImImageStateMachineLogGroup` (stack/stateMachine.ts);
 * - **its alarms** on its dead-letter queue, its errors and throttles, Feishu's rate-limit
 *   answers and the shared budget's fallbacks, and one per daily quota, all notifying the
 *   topic `AlarmTopic` (stack/alarms.ts);
 * - **its row of the dashboard** `Dashboard` (stack/dashboard.ts).
 * Values may hold serverless variables (`${self:service}`), which serverless resolves.
 *
 * @example
 * const { functions, resources } = generateStack(ENDPOINTS, SETTINGS);
 * functions.imImage.events[0]; // { http: { path: 'im/images/{imageKey}', method: 'get', private: true } }
 * resources.Outputs.ImImageQueueUrl; // { Value: { Ref: 'ImImageQueue' } }
 */
export function generateStack(endpoints: readonly EndpointDescription<string>[], settings: StackSettings): StackParts {
  checkNames(endpoints);
  const environment = environmentOf(endpoints);
  const parts: StackParts = {
    functions: {},
    resources: { Resources: {}, Conditions: {}, Outputs: {} },
    stateMachines: {},
    queueUrls: {},
  };
  for (const endpoint of endpoints) {
    const name = endpoint.functionName;
    const { capitalised, queue, deadLetterQueue } = logicalIds(endpoint);
    parts.functions[name] = {
      handler: `functions/${name}.handler`,
      description: `Mirrors ${endpoint.mirrors} into S3 and answers with ${answersWith(endpoint)}`,
      environment,
      events: [
        { http: { path: endpoint.route.replace(/^\//, ''), method: 'get', private: true } },
        {
          sqs: {
            arn: { 'Fn::GetAtt': [queue, 'Arn'] },
            batchSize: SQS_BATCH_SIZE,
            maximumConcurrency: settings.sqsMaxConcurrency,
            functionResponseType: 'ReportBatchItemFailures',
          },
        },
        {
          s3: {
            bucket: '${self:custom.imageBucket}',
            existing: true,
            event: 's3:ObjectCreated:*',
            rules: [{ prefix: `${MANIFEST_PREFIX}${endpoint.kind}/` }],
          },
        },
        ...(endpoint.schedule === undefined ? [] : [{ schedule: { ...endpoint.schedule } }]),
      ],
    };
    parts.resources.Resources[queue] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: `\${self:service}-\${sls:stage}-${name}`,
        VisibilityTimeout: VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT * settings.functionTimeoutSeconds,
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] },
          maxReceiveCount: MAX_RECEIVES,
        },
      },
    };
    parts.resources.Resources[deadLetterQueue] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: `\${self:service}-\${sls:stage}-${name}-dlq`,
        MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS,
        SqsManagedSseEnabled: true,
      },
    };
    parts.resources.Outputs[`${queue}Url`] = { Value: { Ref: queue } };
    parts.queueUrls[name] = { Ref: queue };
    parts.resources.Outputs[`${deadLetterQueue}Url`] = { Value: { Ref: deadLetterQueue } };
    const { stateMachine, resources } = stateMachineParts(endpoint, capitalised, settings);
    parts.stateMachines[name] = stateMachine;
    Object.assign(parts.resources.Resources, resources);
  }
  const alarms = alarmParts(endpoints, settings.alarms);
  Object.assign(parts.resources.Resources, alarms.Resources, { Dashboard: dashboardResource(endpoints) });
  Object.assign(parts.resources.Conditions, alarms.Conditions);
  Object.assign(parts.resources.Outputs, alarms.Outputs);
  return parts;
}

/**
 * The stack settings, from the values serverless.yml holds, checked: a wrong one stops the
 * packaging with its name. `sqsMaxConcurrency` is the text of SQS_MAX_CONCURRENCY, whose empty
 * value means the default, 2.
 *
 * @example
 * readStackSettings({ timeout: 60, logRetentionInDays: 30, sqsMaxConcurrency: '' }).sqsMaxConcurrency; // 2
 */
export function readStackSettings(values: {
  timeout: unknown;
  logRetentionInDays: unknown;
  sqsMaxConcurrency: unknown;
  alarms?: Readonly<Record<string, unknown>>;
}): StackSettings {
  const { timeout, logRetentionInDays } = values;
  if (!Number.isInteger(timeout)) throw new Error(`provider.timeout must be a whole number of seconds, not ${timeout}`);
  if (!Number.isInteger(logRetentionInDays)) {
    throw new Error(`provider.logRetentionInDays must be a whole number of days, not ${logRetentionInDays}`);
  }
  const text = String(values.sqsMaxConcurrency ?? '').trim();
  const sqsMaxConcurrency = text === '' ? DEFAULT_SQS_MAX_CONCURRENCY : /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  const { min, max } = SQS_MAX_CONCURRENCY_RANGE;
  if (!(sqsMaxConcurrency >= min && sqsMaxConcurrency <= max)) {
    throw new Error(
      `the setting SQS_MAX_CONCURRENCY must be a whole number from ${min} to ${max} ` +
        "(Lambda's bounds for an SQS event source)",
    );
  }
  return {
    functionTimeoutSeconds: timeout as number,
    logRetentionInDays: logRetentionInDays as number,
    sqsMaxConcurrency,
    alarms: readAlarmSettings(values.alarms),
  };
}

/**
 * The stack's own endpoints, its places (wiki spaces, Drive folders: stack/placeStack.ts), and the
 * function `openApiDocument` answering `GET /openapi.json`
 * behind the API key with the shipped OpenAPI document (openapi.json): what serverless.yml's
 * `${file(./stack/stack.js):…}` variables resolve to. The document is served by a function
 * rather than an API Gateway MOCK integration because serverless-offline (npm start) serves no
 * MOCK integration, and a method added beside serverless' own would not be in its deployment.
 *
 * @example
 * stackParts(settings).functions.whiteboardImage.handler; // 'functions/whiteboardImage.handler'
 */
export function stackParts(settings: StackSettings): StackParts {
  const parts = generateStack(ENDPOINTS, settings);
  parts.functions[OPENAPI_FUNCTION] = {
    handler: `functions/${OPENAPI_FUNCTION}.handler`,
    description: 'Answers GET /openapi.json with the OpenAPI document of the API',
    // It returns a constant: the least memory, and no reason to wait long.
    memorySize: 128,
    timeout: 3,
    events: [{ http: { path: OPENAPI_ROUTE.replace(/^\//, ''), method: 'get', private: true } }],
  };
  // The places (stack/placeStack.ts): their functions know every endpoint's settings and their own.
  const placeEnvironment = environmentOf([...ENDPOINTS, ...PLACES]);
  for (const place of PLACES) {
    const { function: placeFunction, stateMachine, resources } = placeParts(place, settings, placeEnvironment);
    parts.functions[place.functionName] = placeFunction;
    parts.stateMachines[place.functionName] = stateMachine;
    Object.assign(parts.resources.Resources, resources, placeAlarms(place, settings.alarms));
  }
  for (const receiver of RECEIVERS) {
    const receiving = receiverParts(receiver);
    parts.functions[receiver.functionName] = receiving.function;
    Object.assign(parts.resources.Resources, receiving.resources, receiverAlarms(receiver, settings.alarms));
  }
  // The dashboard, with a row per receiver below the endpoints' rows.
  parts.resources.Resources.Dashboard = dashboardResource(ENDPOINTS, RECEIVERS);
  return parts;
}

/** Every setting of the endpoints, passed through from the environment of the deploy or offline run. */
function environmentOf(endpoints: readonly EndpointDescription<string>[]): Record<string, string> {
  return Object.fromEntries(endpoints.flatMap(settingsOf).map((name) => [name, `\${env:${name}, ''}`]));
}

function settingsOf(endpoint: EndpointDescription<string>): string[] {
  const scheduledIds = endpoint.scheduledIdsSetting === undefined ? [] : [endpoint.scheduledIdsSetting];
  return [rateLimitSettingName(endpoint), ...scheduledIds];
}

/** Two endpoints sharing a name would silently merge into one function, queue or manifest folder. */
function checkNames(endpoints: readonly EndpointDescription<string>[]): void {
  for (const endpoint of endpoints) {
    // Letters and digits only: the name becomes a file, a logical id and part of a queue's name.
    if (!/^[a-z][A-Za-z0-9]*$/.test(endpoint.functionName)) {
      const name = endpoint.functionName;
      throw new Error(`endpoint ${endpoint.kind}: the function name '${name}' must be camelCase letters and digits`);
    }
  }
  for (const field of ['kind', 'functionName', 'route'] as const) {
    const seen = new Set<string>();
    for (const endpoint of endpoints) {
      if (seen.has(endpoint[field])) throw new Error(`two endpoints have the ${field} '${endpoint[field]}'`);
      seen.add(endpoint[field]);
    }
  }
}

/** What a function answers with, for its Lambda description: a document's many images, or one. */
function answersWith(endpoint: EndpointDescription<string>): string {
  return endpoint.document ? 'presigned URLs' : 'a presigned URL';
}
