import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handler as imImage } from '../../functions/imImage';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { startMirrorEnvironment } from '../support/mirrorEnvironment';
import { startStallingS3, type StallingS3 } from '../support/stallingS3';
import { useEnvironment } from '../support/useMirrorEnvironment';

/** API Gateway stops waiting for the function after 29 s. */
const GATEWAY_TIMEOUT_MS = 29_000;

describe("An S3 endpoint that hangs: every call ends with the invocation's time", () => {
  let stalling: StallingS3;
  const env = useEnvironment(async () => {
    stalling = await startStallingS3();
    return startMirrorEnvironment({
      s3: {
        endpoint: stalling.endpoint,
        credentials: { accessKeyId: 'AKIDSTALLING0000001', secretAccessKey: 'stalling/secret/0123456789' },
        bucket: 'feishu-image-mirror-stall',
        close: () => stalling.close(),
      },
    });
  });
  beforeEach(() => {
    stalling.requests.length = 0;
  });

  it(
    'answers a direct invocation STORAGE_ERROR, retryable, before its own timeout ' +
      'when S3 accepts the connection and never answers',
    async () => {
      // Prepare
      stalling.stall('silent');
      const context = lambdaContext(5_000);

      // Act
      const outcome = await imImage({ imageKey: 'img_stall_silent' }, context).then(
        () => 'answered',
        (error: unknown) => error,
      );

      // Assess
      expect(outcome).toMatchObject({
        name: 'StorageError',
        code: 'STORAGE_ERROR',
        retryable: true,
        message: expect.stringContaining('in the time the invocation had left'),
      });
      expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      expect(stalling.requests).toEqual(['HEAD /feishu-image-mirror-stall/feishu/im/img_stall_silent']);
    },
  );

  it(
    'answers a direct invocation STORAGE_ERROR before its own timeout ' +
      'when S3 sends the headers of its answer to the PUT and then stalls',
    async () => {
      // Prepare
      stalling.stall('headersThenStall');
      const context = lambdaContext(5_000);

      // Act
      const outcome = await imImage({ imageKey: 'img_stall_headers' }, context).then(
        () => 'answered',
        (error: unknown) => error,
      );

      // Assess
      expect(outcome).toMatchObject({
        name: 'StorageError',
        retryable: true,
        message: expect.stringContaining('storing feishu/im/img_stall_headers'),
      });
      expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      expect(stalling.requests.map((request) => request.split(' ')[0])).toEqual(['HEAD', 'PUT']);
      expect(env.feishu.count('im')).toBe(1);
    },
  );

  it("answers an API Gateway request 503 STORAGE_ERROR before the gateway's 29 s, " +
    'though the function may run for a minute', async () => {
    // Prepare
    stalling.stall('silent');
    const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/im.json');
    const started = Date.now();

    // Act
    const result = (await imImage(event, lambdaContext(60_000))) as APIGatewayProxyResult;

    // Assess
    expect(Date.now() - started).toBeLessThan(GATEWAY_TIMEOUT_MS);
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'STORAGE_ERROR', retryable: true } });
  }, 40_000);
});
