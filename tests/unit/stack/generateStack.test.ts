import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ENDPOINTS, im, type EndpointDescription } from '../../../lib/endpoints';
import { readAlarmSettings } from '../../../stack/alarms';
import { generateStack, readStackSettings, stackParts, type StackParts } from '../../../stack/generateStack';

const ROOT = join(__dirname, '..', '..', '..');
const SETTINGS = {
  functionTimeoutSeconds: 60,
  logRetentionInDays: 30,
  sqsMaxConcurrency: 2,
  alarms: readAlarmSettings({}),
};

const eventsOf = (parts: StackParts, functionName: string) => parts.functions[functionName]!.events;

/** An invented endpoint: nothing but this description is added for it. */
const sheetImage = {
  kind: 'sheet-image',
  functionName: 'sheetImage',
  mirrors: 'a Feishu sheet image',
  noun: 'sheet image',
  ids: ['fileToken'],
  route: '/sheets/images/{fileToken}',
  feishuPath: '/open-apis/sheets/v2/images/{fileToken}',
  acceptsUserToken: true,
  helpdeskAuth: false,
  immutable: true,
  rateLimit: { perSecond: 5 },
} as const satisfies EndpointDescription<string>;

describe('Function: generateStack', () => {
  let five: StackParts;
  beforeAll(() => {
    five = generateStack([...ENDPOINTS, sheetImage], SETTINGS);
  });

  it('gives a new description its function, named after it, with its file in functions/ and its description', () => {
    // Assess
    expect(five.functions.sheetImage).toMatchObject({
      handler: 'functions/sheetImage.handler',
      description: 'Mirrors a Feishu sheet image into S3 and answers with a presigned URL',
    });
  });

  it('gives a new description its HTTP route, behind the API key', () => {
    // Assess
    expect(eventsOf(five, 'sheetImage')).toContainEqual({
      http: { path: 'sheets/images/{fileToken}', method: 'get', private: true },
    });
  });

  it(
    'gives a new description an SQS event from its own queue, reporting failed messages one by one, ' +
      'at most SQS_MAX_CONCURRENCY invocations at once',
    () => {
      // Assess
      expect(eventsOf(five, 'sheetImage')).toContainEqual({
        sqs: {
          arn: { 'Fn::GetAtt': ['SheetImageQueue', 'Arn'] },
          batchSize: 10,
          maximumConcurrency: 2,
          functionResponseType: 'ReportBatchItemFailures',
        },
      });
    },
  );

  it('gives a new description its state machine, named after its function, with its own role and error log', () => {
    // Assess
    expect(five.stateMachines.sheetImage).toMatchObject({
      id: 'SheetImageStateMachine',
      name: '${self:service}-${sls:stage}-sheetImage',
      type: 'STANDARD',
      role: { 'Fn::GetAtt': ['SheetImageStateMachineRole', 'Arn'] },
      loggingConfig: {
        level: 'ERROR',
        includeExecutionData: false,
        destinations: [{ 'Fn::GetAtt': ['SheetImageStateMachineLogGroup', 'Arn'] }],
      },
    });
    expect(five.resources.Resources.SheetImageStateMachineRole).toMatchObject({ Type: 'AWS::IAM::Role' });
    expect(five.resources.Resources.SheetImageStateMachineLogGroup).toEqual({
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: '/aws/vendedlogs/states/${self:service}-${sls:stage}-sheetImage',
        RetentionInDays: 30,
      },
    });
  });

  it("gives a new description's state machine its manifests and results folders and its own function", () => {
    // Prepare
    const { definition } = five.stateMachines.sheetImage!;
    const map = (definition.States as Record<string, Record<string, Record<string, unknown>>>).MirrorManifest!;

    // Assess
    expect(map.ItemReader!.Parameters).toEqual({ Bucket: '${self:custom.imageBucket}', 'Key.$': '$.manifest' });
    expect(map.ResultWriter!.Parameters).toEqual({
      Bucket: '${self:custom.imageBucket}',
      Prefix: 'results/sheet-image/',
    });
    expect(definition.Comment).toContain('requests/sheet-image/state-machine/<name>.jsonl');
    expect(JSON.stringify(map.ItemProcessor)).toContain(
      '{"FunctionName":{"Fn::GetAtt":["SheetImageLambdaFunction","Arn"]}',
    );
  });

  it('gives a new description the notification of manifests created under requests/{kind}/', () => {
    // Assess
    expect(eventsOf(five, 'sheetImage')).toContainEqual({
      s3: {
        bucket: '${self:custom.imageBucket}',
        existing: true,
        event: 's3:ObjectCreated:*',
        rules: [{ prefix: 'requests/sheet-image/' }],
      },
    });
  });

  it('gives a new description its queue, which hands a message to its dead-letter queue after 5 receives', () => {
    // Assess
    expect(five.resources.Resources.SheetImageQueue).toEqual({
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: '${self:service}-${sls:stage}-sheetImage',
        VisibilityTimeout: 360,
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': ['SheetImageDeadLetterQueue', 'Arn'] },
          maxReceiveCount: 5,
        },
      },
    });
  });

  it('gives a new description its dead-letter queue, which keeps messages 14 days', () => {
    // Assess
    expect(five.resources.Resources.SheetImageDeadLetterQueue).toEqual({
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: '${self:service}-${sls:stage}-sheetImage-dlq',
        MessageRetentionPeriod: 1209600,
        SqsManagedSseEnabled: true,
      },
    });
  });

  it("gives a new description outputs holding its queues' URLs", () => {
    // Assess
    expect(five.resources.Outputs).toMatchObject({
      SheetImageQueueUrl: { Value: { Ref: 'SheetImageQueue' } },
      SheetImageDeadLetterQueueUrl: { Value: { Ref: 'SheetImageDeadLetterQueue' } },
    });
  });

  it("passes a new description's rate-limit setting through to every function", () => {
    // Assess
    for (const fn of Object.values(five.functions)) {
      expect(fn.environment).toHaveProperty('SHEET_IMAGE_RATE_LIMIT', "${env:SHEET_IMAGE_RATE_LIMIT, ''}");
    }
  });

  it("leaves the other endpoints' parts as they were, but for the new setting, dashboard row and image events", () => {
    // Prepare
    const four = generateStack(ENDPOINTS, SETTINGS);
    const without = <T>(parts: Record<string, T>, added: string[]): Record<string, T> =>
      Object.fromEntries(Object.entries(parts).filter(([name]) => !added.includes(name)));
    const withoutEnvironment = (functions: StackParts['functions']) =>
      Object.fromEntries(Object.entries(functions).map(([name, { environment, ...rest }]) => [name, rest]));

    // Assess
    expect(withoutEnvironment(without(five.functions, ['sheetImage']))).toStrictEqual(
      withoutEnvironment(four.functions),
    );
    const { Resources, Outputs } = five.resources;
    const added = [
      ...[
        'SheetImageQueue',
        'SheetImageDeadLetterQueue',
        'SheetImageStateMachineRole',
        'SheetImageStateMachineLogGroup',
      ],
      ...['DeadLetter', 'Errors', 'Throttles', 'RateLimited', 'SharedBudgetFallbacks'].map(
        (alarm) => `SheetImage${alarm}Alarm`,
      ),
    ];
    // The dashboard has its row, and the alarm on unpublished image events sums its metric too.
    const grown = ['Dashboard', 'ImageEventsUnpublishedAlarm'];
    expect(without(Resources, [...added, ...grown])).toStrictEqual(without(four.resources.Resources, grown));
    expect(without(five.stateMachines, ['sheetImage'])).toStrictEqual(four.stateMachines);
    expect(without(Outputs, ['SheetImageQueueUrl', 'SheetImageDeadLetterQueueUrl'])).toStrictEqual(
      four.resources.Outputs,
    );
  });

  it('ships a schedule only for a description that has one, as it describes it', () => {
    // Prepare
    const scheduled = {
      ...sheetImage,
      kind: 'sheet-image-2',
      functionName: 'sheetImage2',
      route: '/sheets2/images/{fileToken}',
      scheduledIdsSetting: 'SCHEDULED_SHEET_IMAGE_TOKENS',
      schedule: { rate: 'rate(6 hours)', enabled: true },
    } as const satisfies EndpointDescription<string>;

    // Act
    const parts = generateStack([sheetImage, scheduled], SETTINGS);

    // Assess
    expect(eventsOf(parts, 'sheetImage').filter((event) => 'schedule' in event)).toEqual([]);
    const schedules = eventsOf(parts, 'sheetImage2').filter((event) => 'schedule' in event);
    expect(schedules).toEqual([{ schedule: { rate: 'rate(6 hours)', enabled: true } }]);
  });

  it("passes a description's scheduled ids setting through to every function", () => {
    // Act
    const parts = generateStack([im, { ...sheetImage, scheduledIdsSetting: 'SCHEDULED_SHEET_IMAGE_TOKENS' }], SETTINGS);

    // Assess
    expect(parts.functions.imImage!.environment).toEqual({
      IM_RATE_LIMIT: "${env:IM_RATE_LIMIT, ''}",
      SHEET_IMAGE_RATE_LIMIT: "${env:SHEET_IMAGE_RATE_LIMIT, ''}",
      SCHEDULED_SHEET_IMAGE_TOKENS: "${env:SCHEDULED_SHEET_IMAGE_TOKENS, ''}",
    });
  });

  it("sets a queue's visibility timeout to six times the functions' timeout", () => {
    // Act
    const parts = generateStack([sheetImage], { ...SETTINGS, functionTimeoutSeconds: 15 });

    // Assess
    expect(parts.resources.Resources.SheetImageQueue!.Properties.VisibilityTimeout).toBe(90);
  });

  it('refuses two descriptions with the same function name, which would merge into one function', () => {
    // Act
    const other = { ...sheetImage, kind: 'other', route: '/other/{fileToken}' };
    const generating = () => generateStack([sheetImage, other], SETTINGS);

    // Assess
    expect(generating).toThrow("two endpoints have the functionName 'sheetImage'");
  });

  it('refuses two descriptions of the same kind, which would share a manifest folder', () => {
    // Act
    const other = { ...sheetImage, functionName: 'other', route: '/other/{fileToken}' };
    const generating = () => generateStack([sheetImage, other], SETTINGS);

    // Assess
    expect(generating).toThrow("two endpoints have the kind 'sheet-image'");
  });

  it('refuses a function name that cannot be a file, a logical id and part of a queue name', () => {
    // Act
    const generating = () => generateStack([{ ...sheetImage, functionName: 'sheet-image' }], SETTINGS);

    // Assess
    expect(generating).toThrow("the function name 'sheet-image' must be camelCase letters and digits");
  });
});

describe('Function: stackParts', () => {
  it.each(ENDPOINTS.map((endpoint) => [endpoint.functionName]))(
    'names for %s a function file that exists',
    (functionName) => {
      // Act
      const { handler } = stackParts(SETTINGS).functions[functionName]!;

      // Assess
      expect(existsSync(join(ROOT, `${handler.replace(/\.handler$/, '')}.ts`))).toBe(true);
    },
  );
});

describe('Module: stack/stack.js, which serverless.yml names', () => {
  // The file osls loads, as it loads it: required, then each export called with its helpers.
  type Resolver = (context: unknown) => Promise<unknown>;
  const stackFile = require(join(ROOT, 'stack', 'stack.js')) as Record<
    'functions' | 'resources' | 'stateMachines',
    Resolver
  >;
  const context = {
    options: {},
    resolveVariable: async () => undefined,
    resolveConfigurationProperty: async (path: string[]) =>
      ({ 'provider.timeout': 60, 'provider.logRetentionInDays': 30, 'custom.sqsMaxConcurrency': '' })[path.join('.')],
  };

  it("resolves `functions` to the stack's own endpoints' functions, from the TypeScript descriptions", async () => {
    // Act
    const functions = await stackFile.functions(context);

    // Assess
    expect(functions).toEqual(stackParts(SETTINGS).functions);
  });

  it(
    "resolves `resources` to the stack's own endpoints' queues and outputs, " + "with serverless.yml's timeout",
    async () => {
      // Act
      const resources = await stackFile.resources(context);

      // Assess
      expect(resources).toEqual(stackParts(SETTINGS).resources);
    },
  );

  it("resolves `stateMachines` to the stack's own endpoints' state machines", async () => {
    // Act
    const stateMachines = await stackFile.stateMachines(context);

    // Assess
    expect(stateMachines).toEqual(stackParts(SETTINGS).stateMachines);
  });

  it('refuses a provider timeout that is not a whole number of seconds', async () => {
    // Act
    const resolving = stackFile.resources({ ...context, resolveConfigurationProperty: async () => '60s' });

    // Assess
    await expect(resolving).rejects.toThrow('provider.timeout must be a whole number of seconds, not 60s');
  });
});

describe('Function: readStackSettings', () => {
  const values = { timeout: 60, logRetentionInDays: 30, sqsMaxConcurrency: '' };

  it("lets each queue run 2 invocations at once, Lambda's least, when SQS_MAX_CONCURRENCY is empty", () => {
    // Act
    const settings = readStackSettings(values);

    // Assess
    expect(settings).toEqual({
      functionTimeoutSeconds: 60,
      logRetentionInDays: 30,
      sqsMaxConcurrency: 2,
      alarms: readAlarmSettings({}),
    });
  });

  it('takes SQS_MAX_CONCURRENCY as a whole number', () => {
    // Act
    const settings = readStackSettings({ ...values, sqsMaxConcurrency: ' 12 ' });

    // Assess
    expect(settings.sqsMaxConcurrency).toBe(12);
  });

  it.each([['1'], ['1001'], ['2.5'], ['ten']])(
    "refuses SQS_MAX_CONCURRENCY '%s', outside Lambda's 2 to 1000",
    (text) => {
      // Act
      const reading = () => readStackSettings({ ...values, sqsMaxConcurrency: text });

      // Assess
      expect(reading).toThrow('the setting SQS_MAX_CONCURRENCY must be a whole number from 2 to 1000');
    },
  );
});
