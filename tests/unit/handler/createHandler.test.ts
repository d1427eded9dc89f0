import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { helpdeskFaq, im, whiteboard } from '../../../lib/endpoints';
import { clearTenantTokens } from '../../../lib/feishu/tenantToken';
import { createHandler } from '../../../lib/handler/createHandler';
import type { MirrorAnswer } from '../../../lib/mirror/MirrorAnswer';
import type { Clients } from '../../../lib/clients/Clients';
import { loadEvent } from '../../support/loadEvent';
import { feishuResponse } from '../helpers/feishuAnswer';
import { FakeS3 } from '../helpers/fakeS3';
import { FakeFeishu, imageAnswer } from '../helpers/fakeFeishu';
import {
  HANDLER_APP_SECRET as APP_SECRET,
  HANDLER_BUCKET as BUCKET,
  setHandlerEnv as setEnv,
} from '../helpers/handlerEnv';
import { pngBody } from '../helpers/images';
import { rejectionOf } from '../helpers/thrownBy';

const WHITEBOARD_ID = 'Vd7LwaTCKhv1bxbxNXAcSWlInFg';
const IM_IMAGE_KEY = 'img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g';

// S3 is a fake that answers like S3, Feishu a fake Feishu: both handed in as the handler's clients.
let s3 = new FakeS3();
let feishu: FakeFeishu;
const clients = (): Clients => feishu.clients({ s3: s3.client });

/** Clients with a defect of ours inside: the S3 client cannot even be had. */
function brokenClients(defect: Error): Clients {
  return {
    ...clients(),
    s3: () => {
      throw defect;
    },
  };
}

function context(remainingMs = 10_000): Partial<Context> {
  return { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => remainingMs };
}

function bodyOf(result: unknown): { error: Record<string, unknown> } & Record<string, unknown> {
  return JSON.parse((result as APIGatewayProxyResult).body) as { error: Record<string, unknown> } & Record<
    string,
    unknown
  >;
}

describe('Function: createHandler', () => {
  beforeEach(() => {
    setEnv();
    clearTenantTokens();
    s3 = new FakeS3();
    feishu = new FakeFeishu().onImage(() => imageAnswer(pngBody(2048), 'image/png'));
  });

  describe('HTTP events', () => {
    it('answers a REST event with 200 and the JSON answer, never to be cached', async () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');

      // Act
      const result = (await createHandler(whiteboard, clients())(event, context())) as APIGatewayProxyResult;

      // Assess
      expect(result.statusCode).toBe(200);
      expect(result.headers).toMatchObject({ 'Cache-Control': 'no-store', 'Content-Type': 'application/json' });
      expect(bodyOf(result)).toMatchObject({
        kind: 'whiteboard',
        source: { whiteboardId: WHITEBOARD_ID },
        bucket: BUCKET,
        key: `feishu/whiteboard/${WHITEBOARD_ID}`,
        contentType: 'image/png',
        size: 2048,
        cached: false,
      });
    });

    it('answers 302 to the presigned URL when the query asks to redirect', async () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/im.json');

      // Act
      const result = (await createHandler(im, clients())(event, context())) as APIGatewayProxyResult;

      // Assess
      expect(result.statusCode).toBe(302);
      expect(new URL(String(result.headers?.Location)).pathname).toBe(`/feishu/im/${IM_IMAGE_KEY}`);
    });

    it('answers a Function URL event, reading the id from its raw path', async () => {
      // Prepare
      const event = loadEvent<LambdaFunctionURLEvent>('function-url/im.json');

      // Act
      const result = (await createHandler(im, clients())(event, context())) as APIGatewayProxyResult;

      // Assess
      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toMatchObject({ source: { imageKey: IM_IMAGE_KEY } });
    });

    it('answers a bad request with 400 before any call to S3 or Feishu', async () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
      event.pathParameters = { whiteboardId: 'Vd7Lwa/../secret' };

      // Act
      const result = (await createHandler(whiteboard, clients())(event, context())) as APIGatewayProxyResult;

      // Assess
      expect(result.statusCode).toBe(400);
      expect(bodyOf(result)).toEqual({
        error: {
          code: 'INVALID_REQUEST',
          message: "whiteboardId may hold only the letters A-Z and a-z, digits, '_' and '-'",
          retryable: false,
        },
      });
      expect(s3.sent()).toHaveLength(0);
      expect(feishu.calls).toHaveLength(0);
    });

    it('answers a missing setting with 500 MISCONFIGURED naming it', async () => {
      // Prepare
      setEnv({ IMAGE_BUCKET: '' });
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');

      // Act
      const result = (await createHandler(whiteboard, clients())(event, context())) as APIGatewayProxyResult;

      // Assess
      expect(result.statusCode).toBe(500);
      expect(bodyOf(result)).toEqual({
        error: { code: 'MISCONFIGURED', message: 'the setting IMAGE_BUCKET is missing', retryable: false },
      });
    });

    it('answers Feishu\'s "not found" with 404, Feishu\'s code and its log id', async () => {
      // Prepare
      feishu.onImage(() => feishuResponse('whiteboard-not-found'));
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');

      // Act
      const result = (await createHandler(whiteboard, clients())(event, context())) as APIGatewayProxyResult;

      // Assess
      expect(result.statusCode).toBe(404);
      expect(bodyOf(result).error).toMatchObject({
        code: 'NOT_FOUND',
        retryable: false,
        feishuCode: 2890003,
        feishuMsg: 'record missing',
        logId: '202611210815421A2B3C4D5E6F7A8B9C0D',
      });
    });

    it('answers a rate limit that outlasts the invocation with 429 and Retry-After', async () => {
      // Prepare
      feishu.onImage(() =>
        feishuResponse('rate-limited', (recorded) => {
          recorded.headers['x-ogw-ratelimit-reset'] = '30';
        }),
      );
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');

      // Act
      const result = (await createHandler(whiteboard, clients())(event, context(10_000))) as APIGatewayProxyResult;

      // Assess
      expect(result.statusCode).toBe(429);
      expect(result.headers?.['Retry-After']).toBe('30');
      expect(bodyOf(result).error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, feishuCode: 99991400 });
    });

    it('answers an unexpected failure with 500 INTERNAL_ERROR that does not show what happened', async () => {
      // Prepare
      const defect = new TypeError(`Cannot read properties of undefined (app_secret ${APP_SECRET})`);
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');

      // Act
      const result = (await createHandler(whiteboard, brokenClients(defect))(
        event,
        context(),
      )) as APIGatewayProxyResult;

      // Assess
      expect(result.statusCode).toBe(500);
      expect(bodyOf(result).error).toEqual({
        code: 'INTERNAL_ERROR',
        message: 'an unexpected error occurred; the function log has the details',
        retryable: false,
      });
      expect(result.body).not.toContain(APP_SECRET);
    });
  });

  describe('direct invocations', () => {
    it('answers the answer object itself', async () => {
      // Prepare
      const payload = loadEvent('direct/im.json');

      // Act
      const answer = (await createHandler(im, clients())(payload, context())) as MirrorAnswer;

      // Assess
      expect(answer).toMatchObject({
        kind: 'im',
        source: { imageKey: IM_IMAGE_KEY },
        bucket: BUCKET,
        cached: false,
        size: 2048,
      });
      expect(answer).not.toHaveProperty('statusCode');
    });

    it('throws an error named after the table, for Step Functions to match', async () => {
      // Prepare
      const payload = { imageKey: '' };

      // Act
      const error = await rejectionOf(createHandler(im, clients())(payload, context()));

      // Assess
      expect(error).toMatchObject({
        name: 'InvalidRequestError',
        code: 'INVALID_REQUEST',
        message: 'imageKey must not be empty',
      });
    });

    it('throws MisconfiguredError naming a missing setting', async () => {
      // Prepare
      setEnv({ FEISHU_APP_ID: undefined });

      // Act
      const error = await rejectionOf(createHandler(im, clients())(loadEvent('direct/im.json'), context()));

      // Assess
      expect(error).toMatchObject({ name: 'MisconfiguredError', message: 'the setting FEISHU_APP_ID is missing' });
    });

    it("works for one function while another's settings are incomplete", async () => {
      // Prepare: no FEISHU_HELPDESK_ID / FEISHU_HELPDESK_TOKEN, which only the helpdesk function needs.
      const helpdeskHandler = createHandler(helpdeskFaq, clients());
      const imHandler = createHandler(im, clients());

      // Act
      const helpdeskError = await rejectionOf(helpdeskHandler(loadEvent('direct/helpdesk-faq.json'), context()));
      const imAnswer = (await imHandler(loadEvent('direct/im.json'), context())) as MirrorAnswer;

      // Assess
      expect(helpdeskError).toMatchObject({
        name: 'MisconfiguredError',
        message: expect.stringContaining('FEISHU_HELPDESK_ID'),
      });
      expect(imAnswer.kind).toBe('im');
    });

    it('throws InternalError for an unexpected failure, keeping the original only as the cause', async () => {
      // Prepare
      const original = new RangeError('Invalid array length');

      // Act
      const error = await rejectionOf(
        createHandler(im, brokenClients(original))(loadEvent('direct/im.json'), context()),
      );

      // Assess
      expect(error).toMatchObject({ name: 'InternalError', code: 'INTERNAL_ERROR' });
      expect(error.message).not.toContain('Invalid array length');
      expect(error.cause).toBe(original);
    });
  });
});
