import packageJson from '../package.json';
import { ENDPOINTS, type EndpointDescription, im, PLACES, RECEIVERS, type ReceiverDescription } from '../lib/endpoints';
import { ERROR_CODES, type ErrorCode } from '../lib/errors/errorCodes';
import { USER_TOKEN_HEADER } from '../lib/request/parseHttpEvent';
import { blockOptionNames, COMMON_OPTIONS, ID_PATTERN, USER_TOKEN_PATTERN } from '../lib/request/readFields';
import { loadSettings } from '../lib/settings/loadSettings';
import { USER_TOKEN_MAX_EXPIRES_SECONDS } from '../lib/storage/imageKey';

/** The route that serves this document, behind the API key like the others. */
export const OPENAPI_ROUTE = '/openapi.json';
/** The function that serves it: `functions/openApiDocument.ts`, answering the shipped openapi.json. */
export const OPENAPI_FUNCTION = 'openApiDocument';

/**
 * The codes whose answers may carry `Retry-After` (httpFailure sets it from the error's
 * `retryAfterSeconds`, which only rate limits and used-up quotas give).
 */
const RETRY_AFTER_CODES: readonly ErrorCode[] = ['RATE_LIMITED'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A boolean option as the query string takes it. */
const BOOLEAN = { type: 'string', enum: ['true', 'false', '1', '0'] };
const ref = (kind: 'schemas' | 'parameters' | 'responses' | 'headers', name: string): JsonObject => ({
  $ref: `#/components/${kind}/${name}`,
});

/**
 * The OpenAPI 3.1 document of the REST API, from the endpoint descriptions (lib/endpoints/):
 * one `GET` path per description's `route`, its ids as path parameters matching the ids'
 * pattern, its query options (the common ones, `redirect` where the answer is one image, its
 * place ids and its document's block options), the `X-Feishu-User-Token` header where it
 * accepts one, the 200 answer (one image's, or a document's in full or compact), the 302 of a
 * redirect, and every status of the error table (lib/errors/errorCodes.ts) with the error body,
 * its codes those of that status. Every route needs the API key in `x-api-key`, as does
 * `GET /openapi.json`, which serves this document, except each receiver's `POST` (Feishu's
 * event URL), which the sender's signature authenticates. `npm run openapi` writes it to openapi.json.
 *
 * @example
 * openApiDocument().paths['/im/images/{imageKey}'].get.operationId; // 'imImage'
 */
export function openApiDocument(endpoints: readonly EndpointDescription[] = ENDPOINTS): JsonObject {
  const paths: JsonObject = {};
  for (const endpoint of endpoints) paths[endpoint.route] = { get: operation(endpoint) };
  for (const place of PLACES) paths[place.route] = { post: placeOperation(place) };
  for (const receiver of RECEIVERS) paths[receiver.route] = { post: receiverOperation(receiver) };
  paths[OPENAPI_ROUTE] = {
    get: {
      operationId: OPENAPI_FUNCTION,
      summary: 'This document',
      responses: {
        '200': {
          description: 'The OpenAPI document of the API',
          content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'info', 'paths'] } } },
        },
        '403': {
          description: 'The API key is missing or wrong',
          content: { 'application/json': { schema: ref('schemas', 'GatewayMessage') } },
        },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: packageJson.name,
      version: packageJson.version,
      description:
        `${packageJson.description}. ` +
        'Generated from the endpoint descriptions (lib/endpoints/) by stack/openApiDocument.ts.',
      license: { name: packageJson.license, identifier: packageJson.license },
    },
    security: [{ ApiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        ApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: "The stack's API key (`aws apigateway get-api-keys --include-values`)",
        },
      },
      parameters: commonParameters(),
      headers: {
        RetryAfter: {
          description: 'Whole seconds to wait before asking again',
          schema: { type: 'integer', minimum: 1 },
        },
        CacheControl: { description: 'Answers hold short-lived URLs: `no-store`', schema: { const: 'no-store' } },
      },
      responses: errorResponses(),
      schemas: schemas(endpoints),
    },
  };
}

/** `POST` on a place's route: starts a run over it, or answers the one already running (stack/placeStack.ts). */
function placeOperation(place: (typeof PLACES)[number]): JsonObject {
  const parameters: Json[] = [
    ...pathParameters(place),
    ...(('placeIds' in place ? place.placeIds : []) as readonly string[]).map((name) => ({
      name,
      in: 'query',
      required: false,
      description: `Lists only the nodes under this one of the ${place.noun}`,
      schema: ref('schemas', 'Id'),
    })),
    {
      name: 'refresh',
      in: 'query',
      required: false,
      description: 'Mirrors every document found, not only those edited since the last finished run',
      schema: { ...BOOLEAN, default: 'false' },
    },
  ];
  const responses: JsonObject = {
    '202': {
      description: `The run over the ${place.noun}: started now, or already running (then that one)`,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['kind', 'source', 'run', 'status', 'summary'],
            properties: {
              kind: { const: place.kind },
              source: { type: 'object', additionalProperties: { type: 'string' } },
              run: { type: 'string', description: "The run's id: its execution's name" },
              status: { type: 'string', enum: ['started', 'running'] },
              summary: { type: 'string', description: "The S3 key of the run's summary, written when it ends" },
            },
          },
        },
      },
    },
  };
  for (const status of errorStatuses()) responses[String(status)] = ref('responses', `Error${status}`);
  return {
    operationId: place.functionName,
    summary: `Mirrors ${place.mirrors}`,
    description:
      `Starts a run of the ${place.noun}'s state machine: it lists the ${place.noun} (\`${place.feishuPath}\`) ` +
      'over as many invocations as it takes, mirrors each docx document edited since the last finished run ' +
      'as `GET /docx/documents/{documentId}/images` would, and writes a summary.',
    parameters,
    responses,
  };
}

/** A receiver's POST, open to anyone (no API key: the sender's signature is the authentication). */
function receiverOperation(receiver: ReceiverDescription): JsonObject {
  const responses: JsonObject = {
    '200': {
      description:
        'The challenge of a `url_verification`, or what became of the event: `queued` (with the number of ' +
        'images), `duplicate`, `skipped` (no image, or a chat not listed) or `ignored` (another event type)',
      content: {
        'application/json': {
          schema: {
            oneOf: [
              { type: 'object', required: ['challenge'], properties: { challenge: { type: 'string' } } },
              {
                type: 'object',
                required: ['eventType', 'eventId', 'outcome'],
                properties: {
                  eventType: { type: 'string' },
                  eventId: { type: 'string' },
                  outcome: { enum: ['queued', 'duplicate', 'skipped', 'ignored'] },
                  messageId: { type: 'string' },
                  images: { type: 'integer', minimum: 0 },
                },
              },
            ],
          },
        },
      },
    },
  };
  for (const status of [400, 401, 413, 500]) responses[String(status)] = ref('responses', `Error${status}`);
  return {
    operationId: receiver.functionName,
    summary: `Receives ${receiver.receives}`,
    description:
      "Feishu's event URL: a request encrypted with the app's Encrypt Key and signed " +
      '(`X-Lark-Request-Timestamp`, `X-Lark-Request-Nonce`, `X-Lark-Signature`). The images of ' +
      `chat messages become jobs for ${receiver.enqueues.functionName}; answered within ` +
      `${receiver.answerWithinSeconds} s.`,
    security: [],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: { type: 'object', required: ['encrypt'], properties: { encrypt: { type: 'string' } } },
        },
      },
    },
    responses,
  };
}

/** A route's ids, as its path parameters, each matching the ids' pattern. */
function pathParameters(described: Pick<EndpointDescription, 'ids' | 'noun'>): JsonObject[] {
  return described.ids.map((name) => ({
    name,
    in: 'path',
    required: true,
    description: `The ${described.noun}'s ${name}`,
    schema: ref('schemas', 'Id'),
  }));
}

function operation(endpoint: EndpointDescription): JsonObject {
  const parameters: Json[] = [
    ...pathParameters(endpoint),
    ...COMMON_OPTIONS.map((name) => ref('parameters', name)),
    ...(endpoint.document ? [] : [ref('parameters', 'redirect')]),
    ...(endpoint.placeIds ?? []).map((name) => ({
      name,
      in: 'query',
      required: false,
      description:
        "Names where the image lives in Feishu, so that the app's access to that place counts; " +
        "not part of the image's key",
      schema: ref('schemas', 'Id'),
    })),
    ...blockOptionNames(endpoint).map((name) => ({
      name,
      in: 'query',
      required: false,
      description: `\`false\` leaves the document's ${name} out`,
      schema: { ...BOOLEAN, default: 'true' },
    })),
    ...(endpoint.acceptsUserToken ? [ref('parameters', 'userToken')] : []),
  ];
  const answer = endpoint.document
    ? { allOf: [ref('schemas', 'DocumentAnswer')], properties: { kind: { const: endpoint.kind } } }
    : { allOf: [ref('schemas', 'MirrorAnswer')], properties: { kind: { const: endpoint.kind } } };
  const responses: JsonObject = {
    '200': {
      description: endpoint.document
        ? `Every image of the ${endpoint.noun}, each with its answer or error (200 whenever it was read); ` +
          '`compact` when the full answer does not fit, which is then in S3'
        : `Where the ${endpoint.noun} is stored and a presigned URL to it`,
      headers: { 'Cache-Control': ref('headers', 'CacheControl') },
      content: { 'application/json': { schema: answer } },
    },
  };
  if (!endpoint.document) {
    responses['302'] = {
      description: 'With `redirect`: the presigned URL in `Location`',
      headers: {
        Location: { description: "The image's presigned URL", schema: { type: 'string', format: 'uri' } },
        'Cache-Control': ref('headers', 'CacheControl'),
      },
    };
  }
  for (const status of errorStatuses()) responses[String(status)] = ref('responses', `Error${status}`);
  return {
    operationId: endpoint.functionName,
    summary: `Mirrors ${endpoint.mirrors}`,
    description:
      `Fetches ${endpoint.mirrors} from Feishu (\`${endpoint.feishuPath}\`) with the app's credentials, ` +
      (endpoint.document
        ? 'stores them in S3 and answers with presigned URLs'
        : 'stores it in S3 and answers with a presigned URL') +
      (endpoint.immutable ? '; a stored copy answers unless `refresh`.' : '.'),
    parameters,
    responses,
  };
}

/** The options every route takes, and the user token header, with their bounds at the settings' defaults. */
function commonParameters(): JsonObject {
  const defaults = loadSettings({ FEISHU_APP_ID: 'cli_', FEISHU_APP_SECRET: '-', IMAGE_BUCKET: 'bucket' }, im);
  const boolean = (name: string, description: string): JsonObject => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: { ...BOOLEAN, default: 'false' },
  });
  return {
    refresh: boolean('refresh', 'Fetch from Feishu even when a stored copy could answer'),
    expiresIn: {
      name: 'expiresIn',
      in: 'query',
      required: false,
      description:
        'Lifetime of the URL in whole seconds, from 1 to PRESIGN_MAX_SECONDS (shown at its default); ' +
        `the default is PRESIGN_EXPIRES_SECONDS; at most ${USER_TOKEN_MAX_EXPIRES_SECONDS} with a user token`,
      schema: {
        type: 'integer',
        minimum: 1,
        maximum: defaults.presignMaxSeconds,
        default: defaults.presignExpiresSeconds,
      },
    },
    download: boolean('download', 'Serve the file as an attachment instead of inline'),
    redirect: boolean('redirect', 'Answer 302 with the URL in Location, so the API URL can stand in an <img src>'),
    userToken: {
      name: USER_TOKEN_HEADER,
      in: 'header',
      required: false,
      description: "A caller's own user_access_token, used instead of the app's tenant token",
      schema: { type: 'string', pattern: USER_TOKEN_PATTERN.source },
    },
  };
}

/** The HTTP statuses of the error table, in order. */
function errorStatuses(): number[] {
  return [...new Set(Object.values(ERROR_CODES).map(({ status }) => status))].sort((a, b) => a - b);
}

/** One response per status of the error table, its body the error body with that status's codes. */
function errorResponses(): JsonObject {
  const responses: JsonObject = {};
  for (const status of errorStatuses()) {
    const codes = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => ERROR_CODES[code].status === status);
    const body = {
      allOf: [ref('schemas', 'ErrorBody')],
      properties: { error: { properties: { code: { enum: codes } } } },
    };
    // API Gateway answers a missing or wrong key, and its usage plan's throttling, with its own body.
    const gateway =
      status === 403 ? 'the API key is missing or wrong' : status === 429 ? 'the usage plan throttled' : '';
    const retryAfter = codes.some((code) => RETRY_AFTER_CODES.includes(code));
    responses[`Error${status}`] = {
      description: `${codes.join(' or ')}${gateway === '' ? '' : `; or API Gateway's own answer when ${gateway}`}`,
      headers: {
        ...(retryAfter ? { 'Retry-After': ref('headers', 'RetryAfter') } : {}),
        'Cache-Control': ref('headers', 'CacheControl'),
      },
      content: {
        'application/json': { schema: gateway === '' ? body : { oneOf: [body, ref('schemas', 'GatewayMessage')] } },
      },
    };
  }
  return responses;
}

/**
 * The answers' and errors' schemas, as lib/mirror/MirrorAnswer.ts, lib/mirror/DocumentAnswer.ts and
 * lib/errors/errorBody.ts type them.
 */
function schemas(endpoints: readonly EndpointDescription[]): JsonObject {
  const imageKinds = endpoints.filter((endpoint) => !endpoint.document).map((endpoint) => endpoint.kind);
  const documentKinds = endpoints.filter((endpoint) => endpoint.document).map((endpoint) => endpoint.kind);
  const text = { type: 'string' };
  const time = { type: 'string', format: 'date-time' };
  const count = { type: 'integer', minimum: 0 };
  const source = {
    type: 'object',
    description: 'The ids, under the payload names',
    additionalProperties: ref('schemas', 'Id'),
  };
  const blockHead = {
    blockId: text,
    blockType: { enum: [...new Set(endpoints.flatMap((e) => e.document?.blocks.map((b) => b.name) ?? []))] },
    token: text,
  };
  const error = ref('schemas', 'ErrorDetail');
  const object = (properties: JsonObject, required: string[], description?: string): JsonObject => ({
    type: 'object',
    ...(description === undefined ? {} : { description }),
    properties,
    required,
    additionalProperties: false,
  });
  return {
    Id: { type: 'string', pattern: ID_PATTERN.source },
    MirrorAnswer: object(
      {
        kind: { enum: imageKinds },
        source,
        bucket: text,
        key: text,
        url: { type: 'string', format: 'uri', description: 'Presigned GET URL for this object only' },
        expiresAt: time,
        contentType: text,
        size: count,
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'Hex sha256 of the stored bytes' },
        cached: { type: 'boolean', description: 'True when answered from S3 without calling Feishu' },
        fetchedAt: time,
        fileName: { type: 'string', description: "The file's name as Feishu gave it (document media), made safe" },
      },
      ['kind', 'source', 'bucket', 'key', 'url', 'expiresAt', 'contentType', 'size', 'sha256', 'cached', 'fetchedAt'],
      'Where one image is stored and a presigned URL to it',
    ),
    DocumentImage: {
      description: 'One image block of a document, in document order, with its answer or its error',
      oneOf: [
        object({ ...blockHead, answer: ref('schemas', 'MirrorAnswer') }, ['blockId', 'blockType', 'token', 'answer']),
        object({ ...blockHead, error }, ['blockId', 'blockType', 'token', 'error']),
      ],
    },
    FailedImage: object({ ...blockHead, error }, ['blockId', 'blockType', 'token', 'error']),
    FullAnswerObject: {
      description: 'Where the full answer was written in S3 and a presigned URL to it; or why it could not be',
      oneOf: [
        object({ key: text, url: { type: 'string', format: 'uri' }, expiresAt: time }, ['key', 'url', 'expiresAt']),
        object({ key: text, error }, ['key', 'error']),
      ],
    },
    FullDocumentAnswer: object(
      {
        kind: { enum: documentKinds },
        source,
        images: { type: 'array', items: ref('schemas', 'DocumentImage') },
        succeeded: count,
        failed: count,
        fullAnswer: ref('schemas', 'FullAnswerObject'),
      },
      ['kind', 'source', 'images', 'succeeded', 'failed'],
    ),
    CompactDocumentAnswer: object(
      {
        kind: { enum: documentKinds },
        source,
        compact: { const: true },
        succeeded: count,
        failed: count,
        fullAnswer: ref('schemas', 'FullAnswerObject'),
        failedImages: { type: 'array', items: ref('schemas', 'FailedImage') },
        failedImagesLeftOut: { type: 'integer', minimum: 1 },
      },
      ['kind', 'source', 'compact', 'succeeded', 'failed', 'fullAnswer', 'failedImages'],
    ),
    DocumentAnswer: {
      description: "A document's answer: in full, or compact when the full one does not fit",
      oneOf: [ref('schemas', 'FullDocumentAnswer'), ref('schemas', 'CompactDocumentAnswer')],
    },
    ErrorDetail: object(
      {
        code: { enum: Object.keys(ERROR_CODES) },
        message: text,
        retryable: { type: 'boolean' },
        feishuCode: { type: 'integer' },
        feishuMsg: text,
        logId: { type: 'string', description: "Feishu's X-Tt-Logid, for their support" },
      },
      ['code', 'message', 'retryable'],
    ),
    ErrorBody: object({ error }, ['error'], 'The body of every failure'),
    GatewayMessage: object({ message: text }, ['message'], "API Gateway's own answer"),
  };
}

/** The text of openapi.json: the document, indented by two spaces, with a final newline. */
export function openApiDocumentText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}
