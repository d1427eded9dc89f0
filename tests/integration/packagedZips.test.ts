import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { ENDPOINTS, type EndpointDescription, feishuEvents } from '../../lib/endpoints';
import { sampleDocumentId, urlVerification } from '../sandbox/feishu';
import { LOCAL_SSM_CREDENTIALS, startLocalSsm } from '../sandbox/ssm/startLocalSsm';
import { EVENT_SECRETS, restFeishuEvent } from '../support/feishuEventRequests';
import { recordFigures } from '../support/figures';
import { payloadFor } from '../support/handlers';
import { packagedDirectory, packagedTemplate, PACKAGING_TIMEOUT_MS, type Template } from '../support/packagedStack';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

const RUNTIME = join(__dirname, '..', 'support', 'lambdaRuntime', 'invokeLikeLambda.mjs');

/** What the packaged template says of one function: its runtime, its handler and its zip. */
interface PackagedFunction {
  runtime: string;
  handler: string;
  zip: string;
}

/** What a zip's function answered, loaded and invoked as Lambda does, and on which Node. */
interface ZipOutcome {
  node: string;
  /** From the process's start to the answer: a cold start's first answer. */
  firstAnswerMs: number;
  result?: Record<string, unknown>;
  error?: { name: string; message: string };
}

/** A payload each function answers from the Feishu sandbox: one image, or the sample document. */
const payloadOf = (endpoint: EndpointDescription): Record<string, unknown> =>
  endpoint.document ? { documentId: sampleDocumentId } : payloadFor(endpoint, `zip_${endpoint.kind.replace('-', '_')}`);

/** The keys an answer names: the image's, or each image's of a document. */
const storedKeys = (endpoint: EndpointDescription, result: Record<string, unknown> | undefined): string[] =>
  endpoint.document
    ? ((result?.images ?? []) as { answer?: { key: string } }[]).flatMap((image) => image.answer?.key ?? [])
    : typeof result?.key === 'string'
      ? [result.key]
      : [];

describe('The packaged zips, loaded and invoked as Lambda loads them, on the Node of their runtime', () => {
  const env = useMirrorEnvironment();
  let template: Template;
  let packaged: string;
  let unpacked: string;
  beforeAll(async () => {
    [template, packaged] = await Promise.all([packagedTemplate(), packagedDirectory()]);
    unpacked = mkdtempSync(join(tmpdir(), 'feishu-image-mirror-zips-'));
  }, PACKAGING_TIMEOUT_MS + 10_000);
  afterAll(() => rmSync(unpacked, { recursive: true, force: true }));

  const functionOf = (endpoint: Pick<EndpointDescription, 'functionName'>): PackagedFunction => {
    const resource = Object.values(template.Resources).find(
      (candidate) =>
        candidate.Type === 'AWS::Lambda::Function' &&
        String(candidate.Properties.Handler).startsWith(`functions/${endpoint.functionName}.`),
    );
    if (resource === undefined) throw new Error(`no packaged function for ${endpoint.functionName}`);
    const { Runtime, Handler, Code } = resource.Properties;
    return { runtime: Runtime, handler: Handler, zip: basename(String(Code.S3Key)) };
  };

  /** Unpacks the function's zip as Lambda's task root, invokes it once with `event` in a Node of its own. */
  const invokeZip = async (
    endpoint: Pick<EndpointDescription, 'functionName'>,
    event: unknown,
    environment: NodeJS.ProcessEnv = process.env,
  ): Promise<ZipOutcome> => {
    const { handler, zip } = functionOf(endpoint);
    const taskRoot = join(unpacked, endpoint.functionName);
    execFileSync('unzip', ['-q', '-o', join(packaged, zip), '-d', taskRoot]);
    const eventFile = join(unpacked, `${endpoint.functionName}-event.json`);
    const outcomeFile = join(unpacked, `${endpoint.functionName}-outcome.json`);
    writeFileSync(eventFile, JSON.stringify(event));
    // The Node that runs the tests is the project's, the one the runtime names (checked below).
    await promisify(execFile)(process.execPath, [RUNTIME, taskRoot, handler, eventFile, outcomeFile], {
      env: environment,
      timeout: 60_000,
    });
    return JSON.parse(readFileSync(outcomeFile, 'utf8')) as ZipOutcome;
  };

  it('gives every function the runtime nodejs24.x, the Node the tests run on', () => {
    // Act
    const runtimes = ENDPOINTS.map((endpoint) => functionOf(endpoint).runtime);

    // Assess
    expect(new Set(runtimes)).toEqual(new Set(['nodejs24.x']));
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it.each(ENDPOINTS.map((endpoint: EndpointDescription) => [endpoint.functionName, endpoint] as const))(
    "loads %s's zip as Lambda does and answers a direct payload with what it stored",
    async (_, endpoint) => {
      // Act
      const outcome = await invokeZip(endpoint, payloadOf(endpoint));

      // Assess
      expect(outcome.error).toBeUndefined();
      expect(outcome.node.split('.')[0]).toBe('24');
      const keys = storedKeys(endpoint, outcome.result);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(await env.exists(key)).toBe(true);
    },
  );

  it("answers a Feishu error from a zip with the error table's name, as Step Functions matches it", async () => {
    // Act
    const outcome = await invokeZip(ENDPOINTS.find((endpoint) => endpoint.kind === 'im')!, { imageKey: 'err-234005' });

    // Assess
    expect(outcome.error).toMatchObject({ name: 'NotFoundError' });
  });

  describe("feishuEvents' zip, cold, answering the console's url_verification (Feishu allows 1 s)", () => {
    const secrets = {
      FEISHU_APP_ID: EVENT_SECRETS.appId,
      MESSAGE_IMAGE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/feishu-image-mirror-dev-messageImage',
    };
    const verification = () => restFeishuEvent(urlVerification('c-cold', EVENT_SECRETS.verificationToken));
    const firstAnswers: Record<string, number> = {};
    afterAll(() => recordFigures('feishuEventsColdStart', firstAnswers));

    it('answers the challenge with its secrets in its environment', async () => {
      // Act
      const outcome = await invokeZip(feishuEvents, verification(), {
        ...process.env,
        ...secrets,
        FEISHU_ENCRYPT_KEY: EVENT_SECRETS.encryptKey,
        FEISHU_VERIFICATION_TOKEN: EVENT_SECRETS.verificationToken,
      });

      // Assess
      expect(outcome.result).toMatchObject({ statusCode: 200, body: JSON.stringify({ challenge: 'c-cold' }) });
      firstAnswers.secretsInEnvironmentMs = outcome.firstAnswerMs;
    });

    it('answers the challenge with its secrets read from SSM SecureStrings', async () => {
      // Prepare
      const ssm = await startLocalSsm();
      ssm.put('/feishu-image-mirror/dev/encrypt-key', EVENT_SECRETS.encryptKey);
      ssm.put('/feishu-image-mirror/dev/verification-token', EVENT_SECRETS.verificationToken);

      // Act
      const outcome = await invokeZip(feishuEvents, verification(), {
        ...process.env,
        ...secrets,
        FEISHU_ENCRYPT_KEY_PARAMETER: '/feishu-image-mirror/dev/encrypt-key',
        FEISHU_VERIFICATION_TOKEN_PARAMETER: '/feishu-image-mirror/dev/verification-token',
        AWS_ENDPOINT_URL_SSM: ssm.endpoint,
        AWS_ACCESS_KEY_ID: LOCAL_SSM_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_SSM_CREDENTIALS.secretAccessKey,
      }).finally(() => ssm.close());

      // Assess
      expect(outcome.result).toMatchObject({ statusCode: 200, body: JSON.stringify({ challenge: 'c-cold' }) });
      expect(ssm.calls.map((call) => call.signatureValid)).toEqual([true, true]);
      firstAnswers.secretsFromSsmMs = outcome.firstAnswerMs;
    });
  });
});
