/**
 * `npm start`: the whole product on this machine with no account anywhere. An in-process
 * S3-compatible server (data under .local-s3/), an in-process DynamoDB (dynalite) holding the
 * shared rate budget unless RATE_LIMIT_TABLE is set, an in-process SQS (fauxqs) holding
 * messageImage's queue unless MESSAGE_IMAGE_QUEUE_URL is set, run as Lambda's event source would
 * (runQueue), the Feishu sandbox unless FEISHU_APP_ID is set, sending its chats' events to
 * feishuEvents, and serverless-offline serving every route (behind an API key but Feishu's event
 * URL). Settings already in the environment win over these defaults. After each request it prints the metrics the
 * request produced, read from the functions' EMF lines (printMetrics).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { docx, driveMedia, ENDPOINTS, feishuEvents, imMessage } from '../../lib/endpoints';
import { queueUrlSettingName } from '../../lib/settings/loadSettings';
import { fillPath } from '../../lib/feishu/feishuUrl';
import { OPENAPI_ROUTE } from '../../stack/openApiDocument';
import { printMetrics } from './printMetrics';
import { runQueue } from './runQueue';
import { watchManifests } from './watchManifests';
import { startLocalDynamo } from '../sandbox/dynamodb/startLocalDynamo';
import { startLocalEventBus } from '../sandbox/eventbridge/startLocalEventBus';
import { startFeishuSandbox, type FeishuSandbox } from '../sandbox/feishu';
import { LOCAL_S3_CREDENTIALS, S3_COMPATIBLE_CHECKSUMS, startLocalS3 } from '../sandbox/s3/startLocalS3';
import { startLocalSqs } from '../sandbox/sqs/startLocalSqs';
import { createFunctionQueues, type FunctionQueues } from '../support/sqsEventSource';

const root = join(__dirname, '..');
const env = process.env;

/** Ids the sandbox serves, one per endpoint, for the printed examples. */
const SAMPLE_IDS: Record<string, string> = {
  whiteboardId: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg',
  fileToken: 'boxcnrHpsg1QDqXAAAyachabcef',
  faqId: '6936004780707807251',
  imageKey: 'img_v3_02ab_8f2d1c0e6b',
  messageId: 'om_dc13264520392913993dd051dba21dcf',
  fileKey: 'img_v3_02ab_chat_5e1f',
  // The sandbox's sample document: text, two images (one nested) and a whiteboard.
  documentId: 'doxcnQ8dUQhV1vcTdEYZhzBbWkb',
};

async function main(): Promise<void> {
  const httpPort = Number(env.OFFLINE_HTTP_PORT ?? 3000);
  const lambdaPort = Number(env.OFFLINE_LAMBDA_PORT ?? 3002);
  // A bucket of your own (IMAGE_BUCKET, reached with the AWS SDK's credential chain: an
  // AWS_PROFILE, SSO, or keys) or another S3-compatible server (AWS_ENDPOINT_URL_S3) replaces
  // the local S3 server.
  const localS3 = !env.IMAGE_BUCKET && !env.AWS_ENDPOINT_URL_S3;
  env.IMAGE_BUCKET ||= 'feishu-image-mirror-local';
  env.LOCAL_API_KEY ||= randomBytes(16).toString('hex');
  const bucket = env.IMAGE_BUCKET;
  const apiKey = env.LOCAL_API_KEY;

  const s3 = localS3
    ? await startLocalS3({
        directory: join(root, '.local-s3'),
        buckets: [bucket],
        port: Number(env.LOCAL_S3_PORT ?? 4569),
        keepData: true,
      })
    : undefined;
  if (s3) {
    env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    env.S3_FORCE_PATH_STYLE = 'true';
    env.AWS_ACCESS_KEY_ID = LOCAL_S3_CREDENTIALS.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = LOCAL_S3_CREDENTIALS.secretAccessKey;
    env.AWS_REGION ||= 'us-east-1';
    // s3rver cannot decode the SDK's aws-chunked uploads; a real bucket keeps the SDK's checksums.
    for (const [name, value] of Object.entries(S3_COMPATIBLE_CHECKSUMS)) env[name] ||= value;
  }

  // The rate budget's table: dynalite in this process unless RATE_LIMIT_TABLE names a real one.
  const dynamo = env.RATE_LIMIT_TABLE
    ? undefined
    : await startLocalDynamo({ port: Number(env.LOCAL_DYNAMODB_PORT ?? 4570) });
  if (dynamo) {
    env.RATE_LIMIT_TABLE = dynamo.tableName;
    env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  }

  // messageImage's queue, which feishuEvents sends jobs to: fauxqs in this process unless
  // MESSAGE_IMAGE_QUEUE_URL names a real one (reached with AWS_ENDPOINT_URL_SQS or AWS's).
  const queueSetting = queueUrlSettingName(imMessage);
  const sqs = env[queueSetting] ? undefined : await startLocalSqs({ port: Number(env.LOCAL_SQS_PORT ?? 4571) });
  let queues: FunctionQueues | undefined;
  if (sqs) {
    queues = await createFunctionQueues(sqs.client, imMessage.functionName);
    env[queueSetting] = queues.url;
    env.AWS_ENDPOINT_URL_SQS = sqs.endpoint;
  }

  // The Image Mirrored events: on the EventBridge stand-in, printed as they come, unless
  // EVENT_BUS_NAME names a real bus (or AWS_ENDPOINT_URL_EVENTBRIDGE another server).
  const events =
    env.EVENT_BUS_NAME || env.AWS_ENDPOINT_URL_EVENTBRIDGE
      ? undefined
      : await startLocalEventBus({
          port: Number(env.LOCAL_EVENTBRIDGE_PORT ?? 0),
          region: env.AWS_REGION,
          onEvent: (event) => console.log(`  event ${event['detail-type']}: ${describeDetail(event.detail)}`),
        });
  if (events) {
    env.EVENT_BUS_NAME = 'default';
    env.AWS_ENDPOINT_URL_EVENTBRIDGE = events.endpoint;
  }

  let feishu: FeishuSandbox | undefined;
  if (!env.FEISHU_APP_ID) {
    feishu = await startFeishuSandbox({ port: Number(env.FEISHU_SANDBOX_PORT ?? 4580) });
    Object.assign(env, {
      FEISHU_BASE_URL: feishu.url,
      FEISHU_APP_ID: feishu.appId,
      FEISHU_APP_SECRET: feishu.appSecret,
      FEISHU_HELPDESK_ID: feishu.helpdeskId,
      FEISHU_HELPDESK_TOKEN: feishu.helpdeskToken,
      FEISHU_ENCRYPT_KEY: feishu.encryptKey,
      FEISHU_VERIFICATION_TOKEN: feishu.verificationToken,
    });
  }

  const offline = spawn(join(root, 'node_modules', '.bin', 'serverless'), ['offline', 'start', '--noTimeout'], {
    cwd: root,
    env: {
      ...env,
      OFFLINE_HTTP_PORT: String(httpPort),
      OFFLINE_LAMBDA_PORT: String(lambdaPort),
      // As Lambda sets it for an environment it starts on demand: each function's first request shows ColdStart.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    },
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  // The functions' metrics, read from their EMF lines, each request's in a line of its own.
  printMetrics(offline.stdout, (line) => console.log(line));
  const stop = async (): Promise<void> => {
    offline.kill('SIGINT');
    await Promise.all([feishu?.close(), s3?.close(), dynamo?.close(), sqs?.close(), events?.close()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  offline.once('exit', (code) => {
    void Promise.all([feishu?.close(), s3?.close(), dynamo?.close(), sqs?.close(), events?.close()]).then(() =>
      process.exit(code ?? 1),
    );
  });

  await waitForPort(httpPort);
  const base = `http://localhost:${httpPort}`;
  // Only the local S3 server answers the unsigned requests of the watch and the printed curls.
  if (s3)
    await watchManifests({
      s3Endpoint: s3.endpoint,
      bucket,
      lambdaPort,
      functionPrefix: 'feishu-image-mirror-dev-',
      log: (line) => console.log(line),
    });
  if (sqs && queues) {
    runQueue({
      client: sqs.client,
      queues,
      lambdaPort,
      functionName: `feishu-image-mirror-dev-${imMessage.functionName}`,
      log: (line) => console.log(line),
    });
  }
  // The sandbox sends its chats' events to feishuEvents, encrypted and signed, as Feishu does.
  const eventUrl = `${base}${feishuEvents.route}`;
  feishu?.setEventUrl(eventUrl);
  const objects = `${s3?.endpoint.replace('127.0.0.1', 'localhost')}/${bucket}`;
  const chat = `${feishu?.url}/sandbox/chats/oc_sandbox_demo/messages`;
  const credentials = env.AWS_PROFILE ? `profile ${env.AWS_PROFILE}` : "the SDK's credential chain";
  const s3Server = env.AWS_ENDPOINT_URL_S3 ?? `AWS (${credentials})`;
  const feishuServer = feishu
    ? `${feishu.url} (sandbox; ids starting err-<code> answer that Feishu error)`
    : (env.FEISHU_BASE_URL ?? 'https://open.feishu.cn');
  const lines = [
    '',
    'feishu-image-mirror is running locally.',
    `  API:    ${base}   (header x-api-key: ${apiKey})`,
    `  S3:     ${s3Server}   bucket ${bucket}${s3 ? ' (data in .local-s3/)' : ''}`,
    `  Feishu: ${feishuServer}`,
    `  Budget: ${dynamo ? `${dynamo.endpoint} (dynalite, in memory)` : 'DynamoDB'}   table ${env.RATE_LIMIT_TABLE}`,
    `  Queue:  ${sqs ? `${sqs.endpoint} (fauxqs, in memory)` : 'SQS'}   ${env[queueSetting]}`,
    `  Event URL: ${eventUrl}   (feishuEvents, no API key: Feishu signs its requests)`,
    `  Events: ${events ? `${events.endpoint} (EventBridge stand-in, printed below)` : 'EventBridge'}` +
      `   bus ${env.EVENT_BUS_NAME}`,
    '',
    'Try:',
    ...ENDPOINTS.map(
      (endpoint) => `  curl -s -H 'x-api-key: ${apiKey}' '${base}${fillPath(endpoint.route, SAMPLE_IDS)}'`,
    ),
    `  curl -si -H 'x-api-key: ${apiKey}' '${base}${fillPath(ENDPOINTS[0].route, SAMPLE_IDS)}?redirect=true'`,
    `  curl -s -H 'x-api-key: ${apiKey}' '${base}${fillPath(ENDPOINTS[3].route, { imageKey: 'err-234005' })}'`,
    `  curl -s -H 'x-api-key: ${apiKey}' '${base}${fillPath(driveMedia.route, SAMPLE_IDS)}` +
      `?documentId=${SAMPLE_IDS.documentId}'`,
    `  curl -s -H 'x-api-key: ${apiKey}' '${base}${fillPath(docx.route, SAMPLE_IDS)}?whiteboards=false'`,
    `  curl -s -H 'x-api-key: ${apiKey}' '${base}${OPENAPI_ROUTE}'   (the OpenAPI document of these routes)`,
    '',
    ...(feishu
      ? [
          'Post an image in a sandbox chat: the sandbox sends the event to feishuEvents, which queues it for',
          'messageImage; the image lands under feishu/im-message/ in the bucket:',
          `  curl -s -X POST '${chat}' -d '{"messageType":"image"}'`,
          `  curl -s -X POST '${chat}' -d '{"messageType":"post","images":3}'`,
          '',
        ]
      : []),
    ...(s3
      ? [
          'Drop a manifest (a payload per line) into the bucket, then read its results:',
          `  printf '{"imageKey":"${SAMPLE_IDS.imageKey}"}\\n{"imageKey":"err-234005"}\\n' | ` +
            `curl -s -X PUT --data-binary @- '${objects}/requests/im/example.jsonl'`,
          `  curl -s '${objects}/results/im/example.json'`,
          '  (serverless-offline delivers no S3 notifications: ' +
            'npm start watches requests/ and invokes the function with the event S3 sends)',
          '',
        ]
      : []),
  ];
  console.log(lines.join('\n'));
}

/** An Image Mirrored event's detail in a line: the kind, the key, the size and the start of the sha256. */
function describeDetail(detail: unknown): string {
  const { kind, key, size, sha256 } = detail as { kind?: string; key?: string; size?: number; sha256?: string };
  return `${kind} ${key} (${size} B, sha256 ${sha256?.slice(0, 12)}…)`;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`serverless-offline did not listen on port ${port} within a minute`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
