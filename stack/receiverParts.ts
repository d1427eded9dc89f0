import type { ReceiverDescription } from '../lib/endpoints';
import { queueUrlSettingName } from '../lib/settings/loadSettings';
import type { CloudFormationResource, ServerlessFunction } from './generateStack';
import { logicalIds } from './logicalIds';

/** A receiver's function and the role it runs with. */
export interface ReceiverParts {
  function: ServerlessFunction & { role: string; url: boolean };
  resources: Record<string, CloudFormationResource>;
}

/** The secrets a receiver reads, each given directly or by the name of an SSM SecureString. */
const RECEIVER_SECRETS = ['FEISHU_ENCRYPT_KEY', 'FEISHU_VERIFICATION_TOKEN'] as const;

/**
 * The stack's part for a receiver of Feishu's events, `feishuEvents` for instance:
 * - **the function**, with a timeout of twice the time the sender waits (a slow answer is a
 *   failed one anyway), its own settings (the Encrypt Key and Verification Token or their
 *   parameters, `EVENT_CHAT_IDS`, and the URL of the queue it sends jobs to, from the stack);
 * - **a POST route** on the REST API, not behind the API key (the sender cannot send one: the
 *   signature is the authentication), and **a Function URL** (`AuthType` NONE; serverless
 *   grants both `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`, as AWS requires of new
 *   URLs since October 2025);
 * - **its own role** `FeishuEventsRole`, allowed only what it does: write its log, send
 *   messages to that one queue, put and delete its records in the rate budget's table, and
 *   read the two parameters. It never reaches S3, Feishu or the app secret.
 *
 * @example
 * receiverParts(feishuEvents).function.events[0]; // { http: { path: 'feishu/events', method: 'post' } }
 */
export function receiverParts(receiver: ReceiverDescription): ReceiverParts {
  const name = receiver.functionName;
  const { capitalised } = logicalIds(receiver);
  const queue = logicalIds(receiver.enqueues).queue;
  const role = `${capitalised}Role`;
  const target = receiver.enqueues.functionName;
  const queueSetting = queueUrlSettingName(receiver.enqueues);
  return {
    function: {
      handler: `functions/${name}.handler`,
      description: `Receives ${receiver.receives} and queues chat messages' images for ${target}`,
      timeout: receiver.answerWithinSeconds * 2,
      role,
      url: true,
      environment: {
        ...Object.fromEntries(
          RECEIVER_SECRETS.flatMap((secret) => [secret, `${secret}_PARAMETER`]).map((setting) => [
            setting,
            `\${env:${setting}, ''}`,
          ]),
        ),
        EVENT_CHAT_IDS: "${env:EVENT_CHAT_IDS, ''}",
        // The queue's URL from the stack (`custom.stackQueueUrls`), unless the environment names another
        // (npm start's local queue: serverless-offline cannot resolve a Ref).
        [queueSetting]: `\${env:${queueSetting}, self:custom.stackQueueUrls.${target}}`,
      },
      events: [{ http: { path: receiver.route.replace(/^\//, ''), method: 'post' } }],
    },
    resources: { [role]: roleOf(name, queue) },
  };
}

function roleOf(name: string, queue: string): CloudFormationResource {
  const arn = (...parts: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...parts]] });
  const account = [':', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }];
  const parameter = (custom: string) => arn(':ssm', ...account, ':parameter', `\${self:custom.${custom}}`);
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [
        {
          PolicyName: 'receive-events',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: [arn(':logs', ...account, `:log-group:/aws/lambda/\${self:service}-\${sls:stage}-${name}:*`)],
              },
              { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [{ 'Fn::GetAtt': [queue, 'Arn'] }] },
              // A claim on an event, then its record once queued; a failed send removes the claim.
              {
                Effect: 'Allow',
                Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
                Resource: [arn(':dynamodb', ...account, ':table/', '${self:custom.rateLimitTable}')],
              },
              {
                Effect: 'Allow',
                Action: ['ssm:GetParameter'],
                Resource: [parameter('encryptKeyParameter'), parameter('verificationTokenParameter')],
              },
            ],
          },
        },
      ],
    },
  };
}
