import { ENDPOINTS, PLACES, RECEIVERS } from '../../lib/endpoints';
import { packagedTemplate, PACKAGING_TIMEOUT_MS, type Template } from '../support/packagedStack';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: Json;
  Principal?: Json;
  Condition?: Json;
}

/** A CloudFormation value as text: `Ref`s and attributes become `${Name}`, joins are joined. */
function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) || value === null || typeof value !== 'object') return JSON.stringify(value);
  if ('Ref' in value) return `\${${String(value.Ref)}}`;
  if ('Fn::GetAtt' in value) return `\${${(value['Fn::GetAtt'] as string[]).join('.')}}`;
  if ('Fn::Sub' in value) return String(value['Fn::Sub']);
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'] as [string, Json[]];
    return parts.map(render).join(separator);
  }
  return JSON.stringify(value);
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** CloudWatch Logs' actions for delivering a state machine's log, which AWS grants on '*' only. */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
];

/** What every state machine's role may do besides its work: run its own child executions and deliver its log. */
const ownExecutionsAndLog = (functionName: string) => {
  const stateMachine = `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}`;
  return [
    [['states:StartExecution'], [`${stateMachine}:stateMachine:feishu-image-mirror-dev-${functionName}`]],
    [
      ['states:DescribeExecution', 'states:StopExecution'],
      [`${stateMachine}:execution:feishu-image-mirror-dev-${functionName}/*`],
    ],
    [LOG_DELIVERY_ACTIONS, ['*']],
  ];
};

/** A function's logical name as serverless writes it: imImage → ImImage. */
const capitalized = (name: string): string => name[0]!.toUpperCase() + name.slice(1);

describe('The CloudFormation template `serverless package` builds', () => {
  let template: Template;
  beforeAll(async () => {
    // As .ci/run packages it: the stack's own bucket and the default names.
    template = await packagedTemplate();
  }, PACKAGING_TIMEOUT_MS + 10_000);

  const statements = (): { resource: string; statement: Statement }[] =>
    Object.entries(template.Resources).flatMap(([name, resource]) => {
      const documents =
        resource.Type === 'AWS::IAM::Role'
          ? list<{ PolicyDocument: { Statement: Statement[] } }>(resource.Properties.Policies).map(
              (policy) => policy.PolicyDocument,
            )
          : resource.Type === 'AWS::S3::BucketPolicy' || resource.Type === 'AWS::IAM::Policy'
            ? [resource.Properties.PolicyDocument as { Statement: Statement[] }]
            : [];
      // A policy of its own grants what it holds to the role it is attached to.
      const holder =
        resource.Type === 'AWS::IAM::Policy' ? (resource.Properties.Roles as { Ref: string }[])[0]!.Ref : name;
      return documents.flatMap((document) => document.Statement.map((statement) => ({ resource: holder, statement })));
    });
  const allowed = () => statements().filter(({ statement }) => statement.Effect === 'Allow');
  /** What the four functions may do: their execution role. */
  const functions = () => allowed().filter(({ resource }) => resource === 'IamRoleLambdaExecution');

  it('makes the image bucket block all public access', () => {
    expect(template.Resources.ImageBucket?.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('makes the image bucket owner-enforced (no ACLs) and encrypted', () => {
    const bucket = template.Resources.ImageBucket?.Properties ?? {};
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toMatch(/^(AES256|aws:kms)$/);
  });

  it('denies every request to the image bucket and its objects that does not use TLS', () => {
    const policy = Object.values(template.Resources).find(
      (resource) =>
        resource.Type === 'AWS::S3::BucketPolicy' && render(resource.Properties.Bucket) === '${ImageBucket}',
    );
    const deny = list<Statement>(policy?.Properties.PolicyDocument.Statement).find(
      (statement) => statement.Effect === 'Deny',
    );
    expect(deny).toMatchObject({
      Principal: '*',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(list(deny?.Resource).map(render).sort()).toEqual(['${ImageBucket.Arn}', '${ImageBucket.Arn}/*']);
  });

  it('aborts incomplete multipart uploads left behind, which no client can when S3 is down', () => {
    expect(template.Resources.ImageBucket?.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
  });

  it("removes the images fetched with a caller's user token after a day, and nothing else", () => {
    expect(template.Resources.ImageBucket?.Properties.LifecycleConfiguration.Rules).toContainEqual({
      Id: 'ExpireUserTokenImages',
      Status: 'Enabled',
      Prefix: 'feishu/user-token/',
      ExpirationInDays: 1,
    });
    const expiring = (
      template.Resources.ImageBucket!.Properties.LifecycleConfiguration.Rules as {
        ExpirationInDays?: number;
        Prefix?: string;
      }[]
    ).filter((rule) => rule.ExpirationInDays !== undefined);
    expect(expiring.map((rule) => rule.Prefix)).toEqual(['feishu/user-token/']);
  });

  it("allows no `*` action or resource anywhere, but for the log delivery AWS grants on '*' only", () => {
    const logDelivery = (statement: Statement): boolean =>
      list(statement.Action).every((action) => LOG_DELIVERY_ACTIONS.includes(action));
    for (const { resource, statement } of allowed().filter(({ statement }) => !logDelivery(statement))) {
      for (const action of list(statement.Action))
        expect([resource, action]).not.toEqual([resource, expect.stringMatching(/^(\*|[a-z0-9-]+:\*)$/)]);
      for (const target of list(statement.Resource).map(render))
        expect([resource, target]).not.toEqual([
          resource,
          expect.stringMatching(/^(\*|arn:[^:]*:[^:]*:[^:]*:[^:]*:\*)$/),
        ]);
    }
  });

  it(
    'lets the functions use S3 only for the needed actions: ' +
      "images under the prefix, manifests in, results out, documents' full answers read back, the bucket's listing",
    () => {
      const s3 = functions().filter(({ statement }) =>
        list(statement.Action).some((action) => action.startsWith('s3:')),
      );
      expect(s3.map(({ statement }) => [list(statement.Action).sort(), list(statement.Resource).map(render)])).toEqual([
        [
          ['s3:AbortMultipartUpload', 's3:GetObject', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectTagging'],
          ['arn:${AWS::Partition}:s3:::${ImageBucket}/feishu/*'],
        ],
        [['s3:GetObject'], ['arn:${AWS::Partition}:s3:::${ImageBucket}/requests/*']],
        [['s3:PutObject'], ['arn:${AWS::Partition}:s3:::${ImageBucket}/results/*']],
        [['s3:GetObject'], ['arn:${AWS::Partition}:s3:::${ImageBucket}/results/docx/*']],
        [['s3:ListBucket'], ['arn:${AWS::Partition}:s3:::${ImageBucket}']],
        // The places' runs: their cursors, parts and last runs.
        ...PLACES.map((place) => [
          ['s3:GetObject'],
          [`arn:\${AWS::Partition}:s3:::\${ImageBucket}/results/${place.kind}/*`],
        ]),
      ]);
    },
  );

  it('lets the functions read only the two named SSM parameters', () => {
    const ssm = functions().filter(({ statement }) =>
      list(statement.Action).some((action) => action.startsWith('ssm:')),
    );
    expect(ssm.map(({ statement }) => [list(statement.Action), list(statement.Resource).map(render)])).toEqual([
      [
        ['ssm:GetParameter'],
        [
          'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/feishu-image-mirror/dev/app-secret',
          'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/feishu-image-mirror/dev/helpdesk-token',
        ],
      ],
    ]);
  });

  it("lets the functions only add to the counters of the stack's own rate-limit table", () => {
    const dynamo = functions().filter(({ statement }) =>
      list(statement.Action).some((action) => action.startsWith('dynamodb:')),
    );
    expect(dynamo.map(({ statement }) => [list(statement.Action), list(statement.Resource).map(render)])).toEqual([
      [
        ['dynamodb:UpdateItem'],
        ['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${RateLimitTable}'],
      ],
    ]);
  });

  it('keeps the shared rate budget in an on-demand, encrypted table whose old windows expire', () => {
    expect(template.Resources.RateLimitTable?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it("lets only this account's CloudWatch alarms publish to the alarms' topic, and nothing without TLS", () => {
    const policies = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::SNS::TopicPolicy');
    expect(policies.map((policy) => policy.Properties.Topics)).toEqual([[{ Ref: 'AlarmTopic' }]]);
    const statements = policies[0]!.Properties.PolicyDocument.Statement as Statement[];
    const allowed = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allowed).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('grants the functions nothing beyond S3, SSM, DynamoDB, their own queues, log groups and runs, one bus', () => {
    const services = new Set(
      functions().flatMap(({ statement }) => list(statement.Action).map((action) => action.split(':')[0])),
    );
    expect([...services].sort()).toEqual(['dynamodb', 'events', 'logs', 's3', 'sqs', 'ssm', 'states']);
    const states = functions().filter(({ statement }) =>
      list(statement.Action).some((action) => action.startsWith('states:')),
    );
    // A place's function starts and lists only its own state machine's runs.
    expect(states.map(({ statement }) => [list(statement.Action), list(statement.Resource).map(render)])).toEqual(
      PLACES.map((place) => [
        ['states:StartExecution', 'states:ListExecutions'],
        [
          `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:` +
            `feishu-image-mirror-dev-${place.functionName}`,
        ],
      ]),
    );
    const sqs = functions().filter(({ statement }) =>
      list(statement.Action).some((action) => action.startsWith('sqs:')),
    );
    for (const { statement } of sqs)
      for (const target of list(statement.Resource).map(render)) expect(target).toMatch(/^\$\{\w+Queue\.Arn\}$/);
    const logs = functions().filter(({ statement }) =>
      list(statement.Action).some((action) => action.startsWith('logs:')),
    );
    for (const { statement } of logs)
      for (const target of list(statement.Resource).map(render))
        expect(target).toContain(':log-group:/aws/lambda/feishu-image-mirror-dev');
  });

  it(
    "lets the framework's deploy-time role only set the image bucket's notifications " +
      'and add or remove function permissions',
    () => {
      // serverless's custom resource for notifications of an existing bucket (requests/ manifests).
      // It runs at deploy time only; its lambda permission names `function:*`, as the framework writes it.
      const roles = new Set(allowed().map(({ resource }) => resource));
      const stateMachineRoles = [...ENDPOINTS, ...PLACES].map(
        (endpoint) => `${capitalized(endpoint.functionName)}StateMachineRole`,
      );
      const receiverRoles = RECEIVERS.map((receiver) => `${capitalized(receiver.functionName)}Role`);
      expect([...roles].sort()).toEqual(
        [
          'IamRoleCustomResourcesLambdaExecution',
          'IamRoleLambdaExecution',
          ...stateMachineRoles,
          ...receiverRoles,
        ].sort(),
      );
      const custom = allowed().filter(({ resource }) => resource === 'IamRoleCustomResourcesLambdaExecution');
      const grants = new Set(
        custom.map(
          ({ statement }) =>
            `${list(statement.Action).sort().join(',')} on ${list(statement.Resource).map(render).join(',')}`,
        ),
      );
      expect([...grants].sort()).toEqual([
        'lambda:AddPermission,lambda:RemovePermission on ' +
          'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*',
        's3:GetBucketNotification,s3:PutBucketNotification on arn:${AWS::Partition}:s3:::${ImageBucket}',
      ]);
    },
  );

  it("lets the functions' role put events only on the bus EVENT_BUS_NAME names, and only when it names one", () => {
    const policy = template.Resources.ImageEventsPolicy!;
    expect(policy).toMatchObject({
      Condition: 'PublishesImageEvents',
      Properties: { Roles: [{ Ref: 'IamRoleLambdaExecution' }] },
    });
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements.map((statement) => [list(statement.Action), list(statement.Resource).map(render)])).toEqual([
      [['events:PutEvents'], ['arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/']],
    ]);
  });

  describe.each(RECEIVERS.map((receiver) => [receiver.functionName, receiver.enqueues.functionName]))(
    "%s's own role",
    (functionName, target) => {
      const name = capitalized(functionName);
      const account = 'arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}';
      const grants = () =>
        allowed()
          .filter(({ resource }) => resource === `${name}Role`)
          .map(({ statement }) => [list(statement.Action).sort(), list(statement.Resource).map(render)]);

      it("may write only its log, send to its endpoint's queue, put and delete records, read its secrets", () => {
        expect(grants()).toEqual([
          [
            ['logs:CreateLogStream', 'logs:PutLogEvents'],
            [`${account.replace('%s', 'logs')}:log-group:/aws/lambda/feishu-image-mirror-dev-${functionName}:*`],
          ],
          [['sqs:SendMessage'], [`\${${capitalized(target)}Queue.Arn}`]],
          [
            ['dynamodb:DeleteItem', 'dynamodb:PutItem'],
            [`${account.replace('%s', 'dynamodb')}:table/\${RateLimitTable}`],
          ],
          [
            ['ssm:GetParameter'],
            [
              `${account.replace('%s', 'ssm')}:parameter/feishu-image-mirror/dev/encrypt-key`,
              `${account.replace('%s', 'ssm')}:parameter/feishu-image-mirror/dev/verification-token`,
            ],
          ],
        ]);
      });

      it('is the role its function runs with, which only Lambda may take', () => {
        const trust = template.Resources[`${name}Role`]!.Properties.AssumeRolePolicyDocument.Statement;
        expect(trust).toEqual([
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ]);
        expect(template.Resources[`${name}LambdaFunction`]!.Properties.Role).toEqual({
          'Fn::GetAtt': [`${name}Role`, 'Arn'],
        });
      });
    },
  );

  describe.each(ENDPOINTS.map((endpoint) => [endpoint.functionName, endpoint.kind]))(
    "%s's state machine role",
    (functionName, kind) => {
      const name = capitalized(functionName);
      const grants = () =>
        allowed()
          .filter(({ resource }) => resource === `${name}StateMachineRole`)
          .map(({ statement }) => [list(statement.Action).sort(), list(statement.Resource).map(render)]);
      const stateMachine = `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}`;

      it(
        'may invoke only its own function, read only its manifests, write only its results, ' +
          'run only its own child executions and deliver its log',
        () => {
          expect(grants()).toEqual([
            [['lambda:InvokeFunction'], [`\${${name}LambdaFunction.Arn}`]],
            [['s3:GetObject'], [`arn:\${AWS::Partition}:s3:::\${ImageBucket}/requests/${kind}/state-machine/*`]],
            [
              ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
              [`arn:\${AWS::Partition}:s3:::\${ImageBucket}/results/${kind}/*`],
            ],
            ...ownExecutionsAndLog(functionName),
          ]);
        },
      );

      it('may be taken only by Step Functions, for this state machine of this account', () => {
        const trust = template.Resources[`${name}StateMachineRole`]!.Properties.AssumeRolePolicyDocument.Statement;
        expect(trust).toHaveLength(1);
        expect(trust[0]).toMatchObject({
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        });
        expect(render(trust[0].Condition.ArnLike['aws:SourceArn'])).toBe(
          `${stateMachine}:stateMachine:feishu-image-mirror-dev-${functionName}`,
        );
      });
    },
  );

  describe.each(PLACES.map((place) => [place.functionName, place.kind]))(
    "%s's state machine role",
    (functionName, kind) => {
      const name = capitalized(functionName);

      it(
        "may invoke only its own function, docxImages and whiteboardImage, touch only the place's results, " +
          'run only its own child executions and deliver its log',
        () => {
          const grants = allowed()
            .filter(({ resource }) => resource === `${name}StateMachineRole`)
            .map(({ statement }) => [list(statement.Action).sort(), list(statement.Resource).map(render)]);
          expect(grants).toEqual([
            [
              ['lambda:InvokeFunction'],
              [
                `\${${name}LambdaFunction.Arn}`,
                '${DocxImagesLambdaFunction.Arn}',
                '${WhiteboardImageLambdaFunction.Arn}',
              ],
            ],
            [
              ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
              [`arn:\${AWS::Partition}:s3:::\${ImageBucket}/results/${kind}/*`],
            ],
            ...ownExecutionsAndLog(functionName),
          ]);
        },
      );
    },
  );
});
