import validator from 'asl-validator';
import { ENDPOINTS } from '../../lib/endpoints';
import { packagedTemplate, PACKAGING_TIMEOUT_MS } from '../support/packagedStack';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
}

/** A function's logical id as serverless names it: whiteboardImage → WhiteboardImageLambdaFunction. */
const capitalized = (name: string): string => name[0]!.toUpperCase() + name.slice(1);

describe('The packaged stack wires every trigger', () => {
  let resources: Record<string, Resource>;

  beforeAll(async () => {
    // The stack as `npx serverless package` builds it offline, with the stack's own bucket.
    resources = (await packagedTemplate()).Resources as Record<string, Resource>;
  }, PACKAGING_TIMEOUT_MS + 10_000);

  const ofType = (type: string): [string, Resource][] =>
    Object.entries(resources).filter(([, resource]) => resource.Type === type);

  it.each(ENDPOINTS.map((endpoint) => [endpoint.functionName]))(
    '%s reads its own queue, reporting failed messages one by one',
    (functionName) => {
      // Prepare
      const name = capitalized(functionName);
      const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, mapping]) => mapping.Properties);

      // Assess
      expect(mappings).toContainEqual(
        expect.objectContaining({
          EventSourceArn: { 'Fn::GetAtt': [`${name}Queue`, 'Arn'] },
          FunctionName: { 'Fn::GetAtt': [`${name}LambdaFunction`, 'Arn'] },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      );
    },
  );

  it.each(ENDPOINTS.map((endpoint) => [endpoint.functionName]))(
    '%s runs at most 2 invocations of its queue at once, so that queued work cannot outrun the rate limit',
    (functionName) => {
      // Prepare
      const name = capitalized(functionName);
      const mapping = ofType('AWS::Lambda::EventSourceMapping').find(
        ([, resource]) =>
          JSON.stringify(resource.Properties.EventSourceArn) ===
          JSON.stringify({ 'Fn::GetAtt': [`${name}Queue`, 'Arn'] }),
      );

      // Assess
      expect(mapping?.[1].Properties).toMatchObject({ BatchSize: 10, ScalingConfig: { MaximumConcurrency: 2 } });
    },
  );

  it.each(ENDPOINTS.map((endpoint) => [endpoint.functionName, endpoint.kind]))(
    "%s has a state machine whose Distributed Map invokes the stack's own function and reads and writes its bucket",
    (functionName, kind) => {
      // Prepare
      const name = capitalized(functionName);
      const machine = resources[`${name}StateMachine`]!;
      // serverless-step-functions writes the definition as an Fn::Sub: text, and a value for each ${placeholder}.
      const [text, values] = (machine.Properties.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] })[
        'Fn::Sub'
      ];
      const named = (value: unknown): string =>
        Object.keys(values).find((key) => JSON.stringify(values[key]) === JSON.stringify(value)) ?? 'none';
      const definition = JSON.parse(text) as Record<string, unknown>;
      const body = JSON.stringify(definition);

      // Assess
      expect(machine).toMatchObject({
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: `feishu-image-mirror-dev-${functionName}`,
          RoleArn: { 'Fn::GetAtt': [`${name}StateMachineRole`, 'Arn'] },
        },
      });
      expect(validator(definition).isValid).toBe(true);
      expect(resources[`${name}LambdaFunction`]?.Type).toBe('AWS::Lambda::Function');
      expect(body).toContain(`"FunctionName":"\${${named({ 'Fn::GetAtt': [`${name}LambdaFunction`, 'Arn'] })}}"`);
      expect(body).toContain(`"Bucket":"\${${named({ Ref: 'ImageBucket' })}}","Key.$":"$.manifest"`);
      expect(body).toContain(`"Bucket":"\${${named({ Ref: 'ImageBucket' })}}","Prefix":"results/${kind}/"`);
      expect(Object.keys(values)).toHaveLength(2);
    },
  );

  it.each(ENDPOINTS.map((endpoint) => [endpoint.functionName]))(
    "%s's state machine logs its errors, never the execution data, to a log group kept as long as the functions'",
    (functionName) => {
      // Prepare
      const name = capitalized(functionName);

      // Assess
      expect(resources[`${name}StateMachine`]!.Properties.LoggingConfiguration).toEqual({
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [
          { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [`${name}StateMachineLogGroup`, 'Arn'] } } },
        ],
      });
      expect(resources[`${name}StateMachineLogGroup`]!.Properties).toEqual({
        LogGroupName: `/aws/vendedlogs/states/feishu-image-mirror-dev-${functionName}`,
        RetentionInDays: resources[`${name}LogGroup`]!.Properties.RetentionInDays,
      });
    },
  );

  it.each(ENDPOINTS.map((endpoint) => [endpoint.functionName]))(
    "%s's queue hands a message to its dead-letter queue after a few receives, and waits out retries",
    (functionName) => {
      // Prepare
      const name = capitalized(functionName);
      const queue = resources[`${name}Queue`]!.Properties;
      const timeout = resources[`${name}LambdaFunction`]!.Properties.Timeout as number;

      // Assess
      expect(resources[`${name}DeadLetterQueue`]).toMatchObject({
        Type: 'AWS::SQS::Queue',
        Properties: { MessageRetentionPeriod: 1209600 },
      });
      expect(queue.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [`${name}DeadLetterQueue`, 'Arn'] },
        maxReceiveCount: 5,
      });
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    },
  );

  it.each(ENDPOINTS.map((endpoint) => [endpoint.functionName, endpoint.kind]))(
    '%s is notified of objects created under requests/%s/ only',
    (functionName, kind) => {
      // Prepare
      const notification = resources[`${capitalized(functionName)}CustomS31`];

      // Assess
      expect(notification).toMatchObject({
        Type: 'Custom::S3',
        Properties: {
          BucketName: { Ref: 'ImageBucket' },
          BucketConfigs: [{ Event: 's3:ObjectCreated:*', Rules: [{ Prefix: `requests/${kind}/` }] }],
        },
      });
    },
  );

  it('ships a disabled hourly schedule for the whiteboards and a daily one per place, without input', () => {
    // Prepare
    const rules = ofType('AWS::Events::Rule').map(([, rule]) => rule.Properties);
    const schedule = (rate: string, functionId: string) => ({
      ScheduleExpression: rate,
      State: 'DISABLED',
      Targets: [{ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] }, Id: expect.any(String) }],
    });

    // Assess
    expect(rules).toEqual([
      schedule('rate(1 hour)', 'WhiteboardImageLambdaFunction'),
      schedule('rate(1 day)', 'WikiSpaceImagesLambdaFunction'),
      schedule('rate(1 day)', 'DriveFolderImagesLambdaFunction'),
    ]);
  });

  it("lets the functions read requests/ and documents' full answers, write results/, besides the images", () => {
    // Prepare
    type Join = { 'Fn::Join': [string, unknown[]] };
    const statements = (
      resources.IamRoleLambdaExecution!.Properties.Policies as {
        PolicyDocument: { Statement: { Action: string[]; Resource: Join[] }[] };
      }[]
    )[0]!.PolicyDocument.Statement;
    // Each object ARN is joined as arn:…:s3:::, the bucket, then the key pattern.
    const keysOf = (arn: Join): string => {
      const parts = arn['Fn::Join'][1];
      return parts.slice(parts.findIndex((part) => JSON.stringify(part) === '{"Ref":"ImageBucket"}') + 1).join('');
    };
    const onObjects = statements
      .filter((statement) => statement.Action.some((action) => action.startsWith('s3:') && action !== 's3:ListBucket'))
      .map((statement) => ({ actions: statement.Action, keys: statement.Resource.map(keysOf) }));

    // Assess
    expect(onObjects).toEqual([
      {
        actions: [
          's3:GetObject',
          's3:PutObject',
          's3:AbortMultipartUpload',
          's3:PutObjectTagging',
          's3:GetObjectTagging',
        ],
        keys: ['/feishu/*'],
      },
      { actions: ['s3:GetObject'], keys: ['/requests/*'] },
      { actions: ['s3:PutObject'], keys: ['/results/*'] },
      // A document's compact answer presigns a URL to its full answer, read with the function's role.
      { actions: ['s3:GetObject'], keys: ['/results/docx/*'] },
    ]);
  });

  it('keeps the bucket private, owner-enforced, encrypted and cleaned of abandoned uploads', () => {
    // Assess
    expect(resources.ImageBucket!.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: {
        Rules: [
          expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
          expect.objectContaining({ Id: 'ExpireUserTokenImages', ExpirationInDays: 1 }),
        ],
      },
    });
    expect(resources.ImageBucketPolicy!.Properties.PolicyDocument).toMatchObject({
      Statement: [expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny' })],
    });
  });
});
