import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { baike, helpdeskFaq, im, whiteboard, type EndpointDescription } from '../../../lib/endpoints';
import { detectTransport } from '../../../lib/request/detectTransport';
import type { MirrorRequest } from '../../../lib/mirror/MirrorRequest';
import { parseRequest } from '../../../lib/request/parseRequest';
import { loadEvent } from '../../support/loadEvent';
import { testSettings } from '../helpers/testSettings';
import { thrownBy } from '../helpers/thrownBy';

const WHITEBOARD_ID = 'Vd7LwaTCKhv1bxbxNXAcSWlInFg';
const FILE_TOKEN = 'boxcnrHpsg1QDqXAAAyachabcef';
const FAQ_ID = '6947428293384273921';
const FAQ_IMAGE_KEY = 'img_v2_041b28e3-5680-48c2-9af2-497ace79333g';
const IM_IMAGE_KEY = 'img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g';
const USER_TOKEN = 'u-cjz1eKCEx289x1TXEiQJqAh5171B4gDHPq00l0GE1234';

const settings = testSettings({ presignExpiresSeconds: 900, presignMaxSeconds: 3600 });

function parse(event: unknown, endpoint: EndpointDescription): MirrorRequest {
  return parseRequest(event, detectTransport(event), endpoint, settings);
}

/** The INVALID_REQUEST that parsing `event` throws. */
function refusal(event: unknown, endpoint: EndpointDescription): Error & Record<string, unknown> {
  const thrown = thrownBy(() => parse(event, endpoint));
  expect(thrown).toMatchObject({ code: 'INVALID_REQUEST', name: 'InvalidRequestError', status: 400, retryable: false });
  return thrown;
}

function restQuery(event: APIGatewayProxyEvent, query: Record<string, string[]> | null): void {
  event.queryStringParameters = query === null ? null : Object.fromEntries(Object.entries(query).map(([name, values]) => [name, values[values.length - 1]!]));
  event.multiValueQueryStringParameters = query;
}

function functionUrlPath(rawPath: string): LambdaFunctionURLEvent {
  const event = loadEvent<LambdaFunctionURLEvent>('function-url/im.json');
  event.rawPath = rawPath;
  event.requestContext.http.path = rawPath;
  return event;
}

describe('Function: parseRequest', () => {
  describe('API Gateway REST (v1) events', () => {
    it('reads the whiteboard id from pathParameters and the options from the query string', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');

      // Act
      const request = parse(event, whiteboard);

      // Assess
      expect(request).toEqual({
        source: { whiteboardId: WHITEBOARD_ID },
        refresh: false,
        download: true,
        expiresInSeconds: 600,
        redirect: false,
        userAccessToken: undefined,
      });
    });

    it('reads both helpdesk ids from pathParameters and uses the default expiry without a query string', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/helpdesk-faq.json');

      // Act
      const request = parse(event, helpdeskFaq);

      // Assess
      expect(request).toEqual({
        source: { faqId: FAQ_ID, imageKey: FAQ_IMAGE_KEY },
        refresh: false,
        download: false,
        expiresInSeconds: 900,
        redirect: false,
        userAccessToken: undefined,
      });
    });

    it('reads redirect=true', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/im.json');

      // Act
      const request = parse(event, im);

      // Assess
      expect(request).toMatchObject({ source: { imageKey: IM_IMAGE_KEY }, redirect: true });
    });

    it('reads the ids from the path when pathParameters are absent', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
      event.pathParameters = null;

      // Act
      const request = parse(event, whiteboard);

      // Assess
      expect(request.source).toEqual({ whiteboardId: WHITEBOARD_ID });
    });

    it('refuses a method other than GET, naming it and the route', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
      event.httpMethod = 'POST';
      event.requestContext.httpMethod = 'POST';

      // Act
      const error = refusal(event, whiteboard);

      // Assess
      expect(error.message).toBe('method POST is not supported; use GET /whiteboards/{whiteboardId}/image');
    });

    it('refuses a query parameter given more than once, naming it', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
      restQuery(event, { refresh: ['true', 'false'] });

      // Act
      const error = refusal(event, whiteboard);

      // Assess
      expect(error.message).toBe("query parameter 'refresh' is given more than once");
    });

    it('refuses an unknown query parameter, naming it and the expected ones', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
      restQuery(event, { expiresIn: ['600'], width: ['200'] });

      // Act
      const error = refusal(event, whiteboard);

      // Assess
      expect(error.message).toBe("unknown query parameter 'width'; expected refresh, expiresIn, download, redirect");
    });

    it('refuses an unknown query parameter named like a property of every object', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
      event.queryStringParameters = JSON.parse('{"__proto__": "1"}') as Record<string, string>;
      event.multiValueQueryStringParameters = JSON.parse('{"__proto__": ["1"]}') as Record<string, string[]>;

      // Act
      const error = refusal(event, whiteboard);

      // Assess
      expect(error.message).toContain("unknown query parameter '__proto__'");
    });

    it.each(['X-Feishu-User-Token', 'x-feishu-user-token', 'X-FEISHU-USER-TOKEN'])('takes the caller\'s user token from the %s header on a whiteboard', (name) => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
      event.headers[name] = USER_TOKEN;

      // Act
      const request = parse(event, whiteboard);

      // Assess
      expect(request.userAccessToken).toBe(USER_TOKEN);
    });

    it('refuses a user token on a helpdesk FAQ image, without echoing it', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/helpdesk-faq.json');
      event.headers['X-Feishu-User-Token'] = USER_TOKEN;

      // Act
      const error = refusal(event, helpdeskFaq);

      // Assess
      expect(error.message).toBe("the X-Feishu-User-Token header is not accepted here: the helpdesk FAQ image API takes only the app's tenant token");
      expect(error.message).not.toContain(USER_TOKEN);
    });

    it('refuses an empty whiteboard id in pathParameters', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
      event.pathParameters = { whiteboardId: '' };

      // Act
      const error = refusal(event, whiteboard);

      // Assess
      expect(error.message).toBe('whiteboardId must not be empty');
    });
  });

  describe('HTTP API (v2) events', () => {
    it('reads the file token from pathParameters and the options from the raw query string', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json');

      // Act
      const request = parse(event, baike);

      // Assess
      expect(request).toEqual({
        source: { fileToken: FILE_TOKEN },
        refresh: true,
        download: false,
        expiresInSeconds: 120,
        redirect: false,
        userAccessToken: undefined,
      });
    });

    it('takes the caller\'s user token from the lower-cased header of a v2 event', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/whiteboard-user-token.json');

      // Act
      const request = parse(event, whiteboard);

      // Assess
      expect(request).toMatchObject({ source: { whiteboardId: WHITEBOARD_ID }, userAccessToken: USER_TOKEN });
    });

    it('reads the query from queryStringParameters when the raw query string is absent', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json');
      delete (event as Partial<APIGatewayProxyEventV2>).rawQueryString;
      event.queryStringParameters = { download: '1' };

      // Act
      const request = parse(event, baike);

      // Assess
      expect(request).toMatchObject({ download: true, refresh: false });
    });

    it('refuses a query parameter repeated in the raw query string (which API Gateway joins with a comma)', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json');
      event.rawQueryString = 'refresh=1&refresh=0';
      event.queryStringParameters = { refresh: '1,0' };

      // Act
      const error = refusal(event, baike);

      // Assess
      expect(error.message).toBe("query parameter 'refresh' is given more than once");
    });

    it('refuses an unknown query parameter, naming it', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json');
      event.rawQueryString = 'refresh=1&format=webp';

      // Act
      const error = refusal(event, baike);

      // Assess
      expect(error.message).toBe("unknown query parameter 'format'; expected refresh, expiresIn, download, redirect");
    });

    it.each(['constructor', 'toString', 'hasOwnProperty'])('refuses the query parameter %s as unknown, not as repeated', (name) => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json');
      event.rawQueryString = `${name}=1`;

      // Act
      const error = refusal(event, baike);

      // Assess
      expect(error.message).toBe(`unknown query parameter '${name}'; expected refresh, expiresIn, download, redirect`);
    });

    it('names a query parameter with an unusual name without echoing it', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json');
      event.rawQueryString = 'x%3Cscript%3E=1';

      // Act
      const error = refusal(event, baike);

      // Assess
      expect(error.message).toBe('unknown query parameter with an unusual name; expected refresh, expiresIn, download, redirect');
    });

    it('refuses a method other than GET', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json');
      event.requestContext.http.method = 'DELETE';

      // Act
      const error = refusal(event, baike);

      // Assess
      expect(error.message).toBe('method DELETE is not supported; use GET /baike/files/{fileToken}');
    });
  });

  describe('Function URL events (ids from the raw path)', () => {
    it('reads the image key from the raw path, there being no pathParameters', () => {
      // Prepare
      const event = loadEvent<LambdaFunctionURLEvent>('function-url/im.json');

      // Act
      const request = parse(event, im);

      // Assess
      expect(request).toEqual({
        source: { imageKey: IM_IMAGE_KEY },
        refresh: false,
        download: true,
        expiresInSeconds: 900,
        redirect: false,
        userAccessToken: undefined,
      });
    });

    it('reads both helpdesk ids from the raw path', () => {
      // Prepare
      const event = loadEvent<LambdaFunctionURLEvent>('function-url/helpdesk-faq.json');

      // Act
      const request = parse(event, helpdeskFaq);

      // Assess
      expect(request.source).toEqual({ faqId: FAQ_ID, imageKey: FAQ_IMAGE_KEY });
    });

    it('reads the ids after a stage or base-path prefix', () => {
      // Prepare
      const event = functionUrlPath(`/prod/images-api/im/images/${IM_IMAGE_KEY}`);

      // Act
      const request = parse(event, im);

      // Assess
      expect(request.source).toEqual({ imageKey: IM_IMAGE_KEY });
    });

    it('reads the ids from a v2 event with a stage prefix and no pathParameters', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/whiteboard-user-token.json');
      delete event.pathParameters;

      // Act
      const request = parse(event, whiteboard);

      // Assess
      expect(request.source).toEqual({ whiteboardId: WHITEBOARD_ID });
    });

    it('accepts a trailing slash', () => {
      // Prepare
      const event = functionUrlPath(`/im/images/${IM_IMAGE_KEY}/`);

      // Act
      const request = parse(event, im);

      // Assess
      expect(request.source).toEqual({ imageKey: IM_IMAGE_KEY });
    });

    it('refuses a path that is not the endpoint\'s route, naming the route', () => {
      // Prepare
      const event = functionUrlPath(`/im/files/${IM_IMAGE_KEY}`);

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe('the path does not match GET /im/images/{imageKey}');
    });

    it('refuses a route with an extra segment after the id', () => {
      // Prepare
      const event = functionUrlPath(`/im/images/${IM_IMAGE_KEY}/thumbnail`);

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe('the path does not match GET /im/images/{imageKey}');
    });

    it('refuses an empty id in the path', () => {
      // Prepare
      const event = functionUrlPath('/im/images/');

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe('imageKey must not be empty');
    });

    it.each([
      ['an encoded slash (%2F)', '/im/images/img_v3%2F..%2F..%2Fsecret'],
      ['an encoded NUL (%00)', '/im/images/img_v3_02ab%00'],
      ['dots (..)', '/im/images/..'],
      ['encoded dots (%2E%2E)', '/im/images/%2E%2E'],
      ['a non-ASCII letter', '/im/images/img_v3_caf%C3%A9'],
      ['a space', '/im/images/img%20v3'],
    ])('refuses an id with %s, saying which characters are allowed', (_, rawPath) => {
      // Prepare
      const event = functionUrlPath(rawPath);

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe("imageKey may hold only the letters A-Z and a-z, digits, '_' and '-'");
    });

    it('refuses broken percent-encoding in the path', () => {
      // Prepare
      const event = functionUrlPath('/im/images/img_v3_%E0%A4%A');

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe('imageKey in the path is not valid percent-encoding');
    });

    it('refuses a user token on an im image', () => {
      // Prepare
      const event = loadEvent<LambdaFunctionURLEvent>('function-url/im.json');
      event.headers['x-feishu-user-token'] = USER_TOKEN;

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe("the X-Feishu-User-Token header is not accepted here: the im image API takes only the app's tenant token");
    });
  });

  describe('direct payloads', () => {
    it.each([
      ['direct/whiteboard.json', whiteboard, { whiteboardId: WHITEBOARD_ID }],
      ['direct/baike.json', baike, { fileToken: FILE_TOKEN }],
      ['direct/helpdesk-faq.json', helpdeskFaq, { faqId: FAQ_ID, imageKey: FAQ_IMAGE_KEY }],
      ['direct/im.json', im, { imageKey: IM_IMAGE_KEY }],
    ] as const)('reads the ids of %s under their payload names, with default options', (fixture, endpoint, source) => {
      // Prepare
      const payload = loadEvent(fixture);

      // Act
      const request = parse(payload, endpoint);

      // Assess
      expect(request).toEqual({ source, refresh: false, download: false, expiresInSeconds: 900, redirect: false, userAccessToken: undefined });
    });

    it('reads the options and the user token from payload fields', () => {
      // Prepare
      const payload = loadEvent('direct/whiteboard-options.json');

      // Act
      const request = parse(payload, whiteboard);

      // Assess
      expect(request).toEqual({
        source: { whiteboardId: WHITEBOARD_ID },
        refresh: true,
        download: false,
        expiresInSeconds: 300,
        redirect: false,
        userAccessToken: USER_TOKEN,
      });
    });

    it('takes a user token for a baike file', () => {
      // Prepare
      const payload = { ...loadEvent('direct/baike.json'), userAccessToken: USER_TOKEN };

      // Act
      const request = parse(payload, baike);

      // Assess
      expect(request.userAccessToken).toBe(USER_TOKEN);
    });

    it.each([
      ['helpdesk FAQ image', helpdeskFaq, 'direct/helpdesk-faq.json'],
      ['im image', im, 'direct/im.json'],
    ] as const)('refuses a user token for the %s endpoint without echoing it', (noun, endpoint, fixture) => {
      // Prepare
      const payload = { ...loadEvent(fixture), userAccessToken: USER_TOKEN };

      // Act
      const error = refusal(payload, endpoint);

      // Assess
      expect(error.message).toBe(`userAccessToken is not accepted here: the ${noun} API takes only the app's tenant token`);
      expect(error.message).not.toContain(USER_TOKEN);
    });

    it.each([
      ['a tenant token', 't-g1044qeGEDXTB6NDJOGV4JQX6NDA2QOQSTIC2ZC4'],
      ['a bare string', 'cjz1eKCEx289x1TXEiQJqAh5171B4gDHPq00l0GE1234'],
      ['a token with a space', 'u-cjz1eKCEx289 x1TXEiQJqAh5171B4gDHPq00l0GE'],
      ['the prefix alone', 'u-'],
    ])('refuses %s as a user token, without echoing it', (_, token) => {
      // Prepare
      const payload = { ...loadEvent('direct/whiteboard.json'), userAccessToken: token };

      // Act
      const error = refusal(payload, whiteboard);

      // Assess
      expect(error.message).toBe('userAccessToken must be a Feishu user_access_token (it starts with u-)');
    });

    it('refuses a user token that is not a string', () => {
      // Prepare
      const payload = { ...loadEvent('direct/whiteboard.json'), userAccessToken: 12345 };

      // Act
      const error = refusal(payload, whiteboard);

      // Assess
      expect(error.message).toBe('userAccessToken must be a Feishu user_access_token (it starts with u-)');
    });

    it('refuses a header user token that does not start with u-, without echoing it', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/whiteboard-user-token.json');
      event.headers['x-feishu-user-token'] = 't-g1044qeGEDXTB6NDJOGV4JQX6NDA2QOQSTIC2ZC4';

      // Act
      const error = refusal(event, whiteboard);

      // Assess
      expect(error.message).toBe('the X-Feishu-User-Token header must be a Feishu user_access_token (it starts with u-)');
    });

    it.each([
      ['redirect', true],
      ['imagekey', IM_IMAGE_KEY],
      ['expires_in', 60],
    ])('refuses the unknown field %s, naming it and the expected ones', (field, value) => {
      // Prepare
      const payload = { ...loadEvent('direct/im.json'), [field]: value };

      // Act
      const error = refusal(payload, im);

      // Assess
      expect(error.message).toBe(`unknown field '${field}'; expected imageKey, refresh, expiresIn, download, userAccessToken`);
    });

    it.each([
      ['null', null, 'null'],
      ['an array', [{ imageKey: IM_IMAGE_KEY }], 'an array'],
      ['a string', IM_IMAGE_KEY, 'a string'],
      ['a number', 42, 'a number'],
    ])('refuses %s as the payload, saying what it must be', (_, payload, described) => {
      // Act
      const error = refusal(payload, im);

      // Assess
      expect(error.message).toBe(`the payload must be a JSON object with imageKey, not ${described}`);
    });

    it('names both ids when the helpdesk payload is not an object', () => {
      // Act
      const error = refusal([], helpdeskFaq);

      // Assess
      expect(error.message).toBe('the payload must be a JSON object with faqId and imageKey, not an array');
    });
  });

  describe('id rules', () => {
    it('accepts an id of 256 characters', () => {
      // Prepare
      const payload = { imageKey: 'a'.repeat(256) };

      // Act
      const request = parse(payload, im);

      // Assess
      expect(request.source.imageKey).toHaveLength(256);
    });

    it.each([
      ['missing', {}, 'imageKey is required'],
      ['null', { imageKey: null }, 'imageKey is required'],
      ['empty', { imageKey: '' }, 'imageKey must not be empty'],
      ['257 characters long', { imageKey: 'a'.repeat(257) }, 'imageKey is 257 characters long; at most 256 are allowed'],
      ['a number', { imageKey: 1234567 }, 'imageKey must be a string, not a number'],
      ['an object', { imageKey: { key: 'img' } }, 'imageKey must be a string, not an object'],
      ['dots (..)', { imageKey: '..' }, "imageKey may hold only the letters A-Z and a-z, digits, '_' and '-'"],
      ['a path', { imageKey: 'img_v3/../../etc' }, "imageKey may hold only the letters A-Z and a-z, digits, '_' and '-'"],
      ['a NUL', { imageKey: 'img_v3\u0000' }, "imageKey may hold only the letters A-Z and a-z, digits, '_' and '-'"],
      ['non-ASCII', { imageKey: 'img_v3_图片' }, "imageKey may hold only the letters A-Z and a-z, digits, '_' and '-'"],
      ['a dot', { imageKey: 'img_v3.png' }, "imageKey may hold only the letters A-Z and a-z, digits, '_' and '-'"],
    ])('refuses an id that is %s, saying what is wrong', (_, payload, message) => {
      // Act
      const error = refusal(payload, im);

      // Assess
      expect(error.message).toBe(message);
    });

    it('checks every id of the helpdesk endpoint, naming the wrong one', () => {
      // Prepare
      const payload = { ...loadEvent<Record<string, unknown>>('direct/helpdesk-faq.json'), faqId: '6947428293384273921.0' };

      // Act
      const error = refusal(payload, helpdeskFaq);

      // Assess
      expect(error.message).toBe("faqId may hold only the letters A-Z and a-z, digits, '_' and '-'");
    });
  });

  describe('options', () => {
    it.each([true, 'true', 1, '1'])('reads %p as true', (value) => {
      // Prepare
      const payload = { ...loadEvent('direct/im.json'), refresh: value, download: value };

      // Act
      const request = parse(payload, im);

      // Assess
      expect(request).toMatchObject({ refresh: true, download: true });
    });

    it.each([false, 'false', 0, '0'])('reads %p as false', (value) => {
      // Prepare
      const payload = { ...loadEvent('direct/im.json'), refresh: value, download: value };

      // Act
      const request = parse(payload, im);

      // Assess
      expect(request).toMatchObject({ refresh: false, download: false });
    });

    it.each(['yes', 'TRUE', '', 2, null, 'on'])('refuses %p for a boolean option, naming it', (value) => {
      // Prepare
      const payload = { ...loadEvent('direct/im.json'), download: value };

      // Act
      const error = refusal(payload, im);

      // Assess
      expect(error.message).toBe('download must be true, false, 1 or 0');
    });

    it('refuses an invalid redirect over HTTP, naming it', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/im.json');
      restQuery(event, { redirect: ['maybe'] });

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe('redirect must be true, false, 1 or 0');
    });

    it.each([
      [1, 1],
      [3600, 3600],
      ['60', 60],
      ['0300', 300],
    ])('accepts expiresIn %p as %i seconds', (value, seconds) => {
      // Prepare
      const payload = { ...loadEvent('direct/im.json'), expiresIn: value };

      // Act
      const request = parse(payload, im);

      // Assess
      expect(request.expiresInSeconds).toBe(seconds);
    });

    it.each([0, -5, 3601, 1.5, '1.5', '1e3', '', 'abc', ' 60', true, Number.NaN, 604800])('refuses expiresIn %p, giving the allowed range', (value) => {
      // Prepare
      const payload = { ...loadEvent('direct/im.json'), expiresIn: value };

      // Act
      const error = refusal(payload, im);

      // Assess
      expect(error.message).toBe('expiresIn must be a whole number of seconds from 1 to 3600 (PRESIGN_MAX_SECONDS)');
    });

    it('refuses expiresIn over PRESIGN_MAX_SECONDS in a query string too', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json');
      event.rawQueryString = 'expiresIn=7200';

      // Act
      const error = refusal(event, baike);

      // Assess
      expect(error.message).toContain('expiresIn must be a whole number of seconds from 1 to 3600');
    });

    it('follows the configured PRESIGN_MAX_SECONDS', () => {
      // Prepare
      const payload = { ...loadEvent('direct/im.json'), expiresIn: 86400 };
      const week = testSettings({ presignMaxSeconds: 604800 });

      // Act
      const request = parseRequest(payload, 'direct', im, week);

      // Assess
      expect(request.expiresInSeconds).toBe(86400);
    });
  });
});
