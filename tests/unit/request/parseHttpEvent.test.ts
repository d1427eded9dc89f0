import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { baike, helpdeskFaq, im, whiteboard, type EndpointDescription } from '../../../lib/endpoints';
import { detectTransport } from '../../../lib/request/detectTransport';
import type { MirrorRequest } from '../../../lib/mirror/MirrorRequest';
import { parseHttpEvent } from '../../../lib/request/parseHttpEvent';
import { FAQ_ID, FAQ_IMAGE_KEY, FILE_TOKEN, IM_IMAGE_KEY, USER_TOKEN, WHITEBOARD_ID } from '../../support/eventIds';
import { loadEvent } from '../../support/loadEvent';
import { testSettings } from '../helpers/testSettings';
import { refusalOf } from '../helpers/thrownBy';

const EXPECTED_OPTIONS = 'expected refresh, expiresIn, download, redirect';
const ALLOWED_CHARACTERS = "imageKey may hold only the letters A-Z and a-z, digits, '_' and '-'";

const settings = testSettings({ presignExpiresSeconds: 900, presignMaxSeconds: 3600 });

type HttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/** One real event for each way an HTTP request reaches a function. */
const TRANSPORTS = [
  ['API Gateway REST', 'apigw-rest/whiteboard.json', whiteboard],
  ['HTTP API', 'apigw-http/baike.json', baike],
  ['Function URL', 'function-url/im.json', im],
] as const;

/** Parses the event as the function does: over the transport its shape tells. */
function parse(event: unknown, endpoint: EndpointDescription): MirrorRequest {
  const transport = detectTransport(event);
  if (transport === 'direct') throw new Error('the fixture is no HTTP event');
  return parseHttpEvent(event, transport, endpoint, settings);
}

const refusal = (event: unknown, endpoint: EndpointDescription) => refusalOf(() => parse(event, endpoint));

const isRest = (event: HttpEvent): event is APIGatewayProxyEvent => 'httpMethod' in event;

/** The request a test expects: the defaults of `settings` but for what the event sets. */
function request(source: Record<string, string>, options: Partial<MirrorRequest> = {}): MirrorRequest {
  return {
    source,
    refresh: false,
    download: false,
    expiresInSeconds: 900,
    redirect: false,
    userAccessToken: undefined,
    ...options,
  };
}

/**
 * The event with this query string, as each transport delivers one: REST in two maps, the
 * single-value one keeping the last of repeated values; v2 as the raw string and a map that
 * joins repeated values with commas.
 */
function withQuery<E extends HttpEvent>(event: E, query: Record<string, string | string[]>): E {
  const lists = Object.fromEntries(
    Object.entries(query).map(([name, value]) => [name, ([] as string[]).concat(value)]),
  );
  if (isRest(event)) {
    const empty = Object.keys(lists).length === 0;
    event.queryStringParameters = empty
      ? null
      : Object.fromEntries(Object.entries(lists).map(([name, values]) => [name, values.at(-1)!]));
    event.multiValueQueryStringParameters = empty ? null : lists;
  } else {
    event.rawQueryString = new URLSearchParams(
      Object.entries(lists).flatMap(([name, values]) => values.map((value): [string, string] => [name, value])),
    ).toString();
    event.queryStringParameters = Object.fromEntries(
      Object.entries(lists).map(([name, values]) => [name, values.join(',')]),
    );
  }
  return event;
}

function withMethod<E extends HttpEvent>(event: E, method: string): E {
  if (isRest(event)) {
    event.httpMethod = method;
    event.requestContext.httpMethod = method;
  } else {
    event.requestContext.http.method = method;
  }
  return event;
}

/** The event without path parameters, as each transport sends it: REST null, v2 absent. */
function withoutPathParameters<E extends HttpEvent>(event: E): E {
  if (isRest(event)) event.pathParameters = null;
  else delete event.pathParameters;
  return event;
}

function functionUrlPath(rawPath: string): LambdaFunctionURLEvent {
  const event = loadEvent<LambdaFunctionURLEvent>('function-url/im.json');
  event.rawPath = rawPath;
  event.requestContext.http.path = rawPath;
  return event;
}

describe('Function: parseHttpEvent', () => {
  describe('ids and options', () => {
    it.each([
      [
        'apigw-rest/whiteboard.json',
        whiteboard,
        request({ whiteboardId: WHITEBOARD_ID }, { download: true, expiresInSeconds: 600 }),
      ],
      ['apigw-rest/helpdesk-faq.json', helpdeskFaq, request({ faqId: FAQ_ID, imageKey: FAQ_IMAGE_KEY })],
      ['apigw-rest/im.json', im, request({ imageKey: IM_IMAGE_KEY }, { redirect: true })],
      ['apigw-http/baike.json', baike, request({ fileToken: FILE_TOKEN }, { refresh: true, expiresInSeconds: 120 })],
      [
        'apigw-http/whiteboard-user-token.json',
        whiteboard,
        request({ whiteboardId: WHITEBOARD_ID }, { userAccessToken: USER_TOKEN }),
      ],
      ['function-url/im.json', im, request({ imageKey: IM_IMAGE_KEY }, { download: true })],
      ['function-url/helpdesk-faq.json', helpdeskFaq, request({ faqId: FAQ_ID, imageKey: FAQ_IMAGE_KEY })],
    ] as const)(
      'reads %s: the ids from its path, the options from its query string, the defaults for the rest',
      (fixture, endpoint, expected) => {
        // Prepare
        const event = loadEvent(fixture);

        // Act
        const parsed = parse(event, endpoint);

        // Assess
        expect(parsed).toEqual(expected);
      },
    );

    it.each([
      ['API Gateway REST', 'apigw-rest/whiteboard.json'],
      ['HTTP API', 'apigw-http/whiteboard-user-token.json'],
    ])('reads the ids from the path, after any stage prefix, when an %s event has no pathParameters', (_, fixture) => {
      // Prepare
      const event = withoutPathParameters(loadEvent<HttpEvent>(fixture));

      // Act
      const parsed = parse(event, whiteboard);

      // Assess
      expect(parsed.source).toEqual({ whiteboardId: WHITEBOARD_ID });
    });

    it('reads the query from queryStringParameters when the raw query string is absent', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json');
      delete (event as Partial<APIGatewayProxyEventV2>).rawQueryString;
      event.queryStringParameters = { download: '1' };

      // Act
      const parsed = parse(event, baike);

      // Assess
      expect(parsed).toMatchObject({ download: true, refresh: false });
    });
  });

  describe('what every transport refuses', () => {
    it.each([
      [
        'API Gateway REST',
        'apigw-rest/whiteboard.json',
        whiteboard,
        'POST',
        'method POST is not supported; use GET /whiteboards/{whiteboardId}/image',
      ],
      [
        'HTTP API',
        'apigw-http/baike.json',
        baike,
        'DELETE',
        'method DELETE is not supported; use GET /baike/files/{fileToken}',
      ],
      ['Function URL', 'function-url/im.json', im, 'PUT', 'method PUT is not supported; use GET /im/images/{imageKey}'],
    ] as const)(
      'refuses a method other than GET over %s, naming it and the route',
      (_, fixture, endpoint, method, message) => {
        // Prepare
        const event = withMethod(loadEvent<HttpEvent>(fixture), method);

        // Act
        const error = refusal(event, endpoint);

        // Assess
        expect(error.message).toBe(message);
      },
    );

    it.each(TRANSPORTS)('refuses a query parameter given more than once over %s, naming it', (_, fixture, endpoint) => {
      // Prepare
      const event = withQuery(loadEvent<HttpEvent>(fixture), { refresh: ['true', 'false'] });

      // Act
      const error = refusal(event, endpoint);

      // Assess
      expect(error.message).toBe("query parameter 'refresh' is given more than once");
    });

    it.each([
      ['API Gateway REST', 'apigw-rest/whiteboard.json', whiteboard, { expiresIn: '600', width: '200' }, 'width'],
      ['HTTP API', 'apigw-http/baike.json', baike, { refresh: '1', format: 'webp' }, 'format'],
      ['Function URL', 'function-url/im.json', im, { download: 'true', size: 'small' }, 'size'],
    ] as const)(
      'refuses an unknown query parameter over %s, naming it and the expected ones',
      (_, fixture, endpoint, query, name) => {
        // Prepare
        const event = withQuery(loadEvent<HttpEvent>(fixture), query);

        // Act
        const error = refusal(event, endpoint);

        // Assess
        expect(error.message).toBe(`unknown query parameter '${name}'; ${EXPECTED_OPTIONS}`);
      },
    );

    // Query records have no prototype: these names must be unknown, never found, never "repeated".
    it.each(
      TRANSPORTS.flatMap(([transport, fixture, endpoint]) =>
        ['__proto__', 'constructor', 'toString', 'hasOwnProperty'].map(
          (name) => [name, transport, fixture, endpoint] as const,
        ),
      ),
    )('refuses the query parameter %s over %s as unknown, like any other', (name, _, fixture, endpoint) => {
      // Prepare
      const event = withQuery(loadEvent<HttpEvent>(fixture), { [name]: '1' });

      // Act
      const error = refusal(event, endpoint);

      // Assess
      expect(error.message).toBe(`unknown query parameter '${name}'; ${EXPECTED_OPTIONS}`);
    });

    it.each(TRANSPORTS)(
      'names a query parameter with an unusual name over %s without echoing it',
      (_, fixture, endpoint) => {
        // Prepare
        const event = withQuery(loadEvent<HttpEvent>(fixture), { 'x<script>': '1' });

        // Act
        const error = refusal(event, endpoint);

        // Assess
        expect(error.message).toBe(`unknown query parameter with an unusual name; ${EXPECTED_OPTIONS}`);
      },
    );
  });

  describe('the X-Feishu-User-Token header', () => {
    it.each([
      ['X-Feishu-User-Token', 'apigw-rest/whiteboard.json', whiteboard, { whiteboardId: WHITEBOARD_ID }],
      ['x-feishu-user-token', 'apigw-rest/whiteboard.json', whiteboard, { whiteboardId: WHITEBOARD_ID }],
      ['X-FEISHU-USER-TOKEN', 'apigw-rest/whiteboard.json', whiteboard, { whiteboardId: WHITEBOARD_ID }],
      ['x-feishu-user-token', 'apigw-http/whiteboard-user-token.json', whiteboard, { whiteboardId: WHITEBOARD_ID }],
      ['x-feishu-user-token', 'apigw-http/baike.json', baike, { fileToken: FILE_TOKEN }],
    ] as const)("takes the caller's user token from the %s header of %s", (name, fixture, endpoint, source) => {
      // Prepare
      const event = loadEvent<HttpEvent>(fixture);
      event.headers[name] = USER_TOKEN;

      // Act
      const parsed = parse(event, endpoint);

      // Assess
      expect(parsed).toMatchObject({ source, userAccessToken: USER_TOKEN });
    });

    it.each([
      ['apigw-rest/helpdesk-faq.json', helpdeskFaq, 'X-Feishu-User-Token'],
      ['apigw-rest/im.json', im, 'X-Feishu-User-Token'],
      ['function-url/helpdesk-faq.json', helpdeskFaq, 'x-feishu-user-token'],
      ['function-url/im.json', im, 'x-feishu-user-token'],
    ] as const)(
      'refuses a user token in %s, whose API takes only the tenant token, without echoing it',
      (fixture, endpoint, name) => {
        // Prepare
        const event = loadEvent<HttpEvent>(fixture);
        event.headers[name] = USER_TOKEN;

        // Act
        const error = refusal(event, endpoint);

        // Assess
        expect(error.message).toBe(
          'the X-Feishu-User-Token header is not accepted here: ' +
            `the ${endpoint.noun} API takes only the app's tenant token`,
        );
        expect(error.message).not.toContain(USER_TOKEN);
      },
    );

    it.each([
      ['apigw-rest/whiteboard.json', 'X-Feishu-User-Token'],
      ['apigw-http/whiteboard-user-token.json', 'x-feishu-user-token'],
    ])('refuses a user token in %s that does not start with u-, without echoing it', (fixture, name) => {
      // Prepare
      const event = loadEvent<HttpEvent>(fixture);
      event.headers[name] = 't-g1044qeGEDXTB6NDJOGV4JQX6NDA2QOQSTIC2ZC4';

      // Act
      const error = refusal(event, whiteboard);

      // Assess
      expect(error.message).toBe(
        'the X-Feishu-User-Token header must be a Feishu user_access_token (it starts with u-)',
      );
    });
  });

  describe('ids in the path', () => {
    it('reads the ids after a stage or base-path prefix', () => {
      // Prepare
      const event = functionUrlPath(`/prod/images-api/im/images/${IM_IMAGE_KEY}`);

      // Act
      const parsed = parse(event, im);

      // Assess
      expect(parsed.source).toEqual({ imageKey: IM_IMAGE_KEY });
    });

    it('accepts a trailing slash', () => {
      // Prepare
      const event = functionUrlPath(`/im/images/${IM_IMAGE_KEY}/`);

      // Act
      const parsed = parse(event, im);

      // Assess
      expect(parsed.source).toEqual({ imageKey: IM_IMAGE_KEY });
    });

    it('accepts an id of 256 characters', () => {
      // Prepare
      const event = functionUrlPath(`/im/images/${'a'.repeat(256)}`);

      // Act
      const parsed = parse(event, im);

      // Assess
      expect(parsed.source.imageKey).toHaveLength(256);
    });

    it.each([
      ["not the endpoint's route", `/im/files/${IM_IMAGE_KEY}`],
      ['the route with an extra segment after the id', `/im/images/${IM_IMAGE_KEY}/thumbnail`],
    ])('refuses a path that is %s, naming the route', (_, rawPath) => {
      // Prepare
      const event = functionUrlPath(rawPath);

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe('the path does not match GET /im/images/{imageKey}');
    });

    it.each([
      ['that is empty', '', 'imageKey must not be empty'],
      ['of 257 characters', 'a'.repeat(257), 'imageKey is 257 characters long; at most 256 are allowed'],
      ['that is dots (..)', '..', ALLOWED_CHARACTERS],
      ['that is encoded dots (%2E%2E)', '%2E%2E', ALLOWED_CHARACTERS],
      ['that is a path, its slashes encoded (%2F)', 'img_v3%2F..%2F..%2Fsecret', ALLOWED_CHARACTERS],
      ['with an encoded NUL (%00)', 'img_v3_02ab%00', ALLOWED_CHARACTERS],
      ['with a non-ASCII letter', 'img_v3_caf%C3%A9', ALLOWED_CHARACTERS],
      ['with non-ASCII characters', 'img_v3_%E5%9B%BE%E7%89%87', ALLOWED_CHARACTERS],
      ['with a space', 'img%20v3', ALLOWED_CHARACTERS],
      ['with a dot', 'img_v3.png', ALLOWED_CHARACTERS],
    ])('refuses an id %s, saying what is wrong', (_, segment, message) => {
      // Prepare
      const event = functionUrlPath(`/im/images/${segment}`);

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe(message);
    });

    it('refuses broken percent-encoding in the path', () => {
      // Prepare
      const event = functionUrlPath('/im/images/img_v3_%E0%A4%A');

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe('imageKey in the path is not valid percent-encoding');
    });

    it('refuses an empty id in pathParameters', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/whiteboard.json');
      event.pathParameters = { whiteboardId: '' };

      // Act
      const error = refusal(event, whiteboard);

      // Assess
      expect(error.message).toBe('whiteboardId must not be empty');
    });

    it('checks every id of the helpdesk endpoint, naming the wrong one', () => {
      // Prepare
      const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/helpdesk-faq.json');
      event.pathParameters = { faqId: `${FAQ_ID}.0`, imageKey: FAQ_IMAGE_KEY };
      event.path = `/helpdesk/faqs/${FAQ_ID}.0/images/${FAQ_IMAGE_KEY}`;

      // Act
      const error = refusal(event, helpdeskFaq);

      // Assess
      expect(error.message).toBe("faqId may hold only the letters A-Z and a-z, digits, '_' and '-'");
    });
  });

  // Query strings carry only text; the same rules for JSON values are in parseDirectPayload's tests.
  describe('options written as text', () => {
    it.each(['true', '1'])('reads %p as true', (value) => {
      // Prepare
      const event = withQuery(loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json'), {
        refresh: value,
        download: value,
        redirect: value,
      });

      // Act
      const parsed = parse(event, baike);

      // Assess
      expect(parsed).toMatchObject({ refresh: true, download: true, redirect: true });
    });

    it.each(['false', '0'])('reads %p as false', (value) => {
      // Prepare
      const event = withQuery(loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json'), {
        refresh: value,
        download: value,
        redirect: value,
      });

      // Act
      const parsed = parse(event, baike);

      // Assess
      expect(parsed).toMatchObject({ refresh: false, download: false, redirect: false });
    });

    it.each([
      ['download', 'yes'],
      ['download', 'TRUE'],
      ['download', ''],
      ['download', 'on'],
      ['redirect', 'maybe'],
    ])('refuses %s=%p, naming the option', (name, value) => {
      // Prepare
      const event = withQuery(loadEvent<APIGatewayProxyEvent>('apigw-rest/im.json'), { [name]: value });

      // Act
      const error = refusal(event, im);

      // Assess
      expect(error.message).toBe(`${name} must be true, false, 1 or 0`);
    });

    it.each([
      ['60', 60],
      ['0300', 300],
    ])('accepts expiresIn %p as %i seconds', (value, seconds) => {
      // Prepare
      const event = withQuery(loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json'), { expiresIn: value });

      // Act
      const parsed = parse(event, baike);

      // Assess
      expect(parsed.expiresInSeconds).toBe(seconds);
    });

    it.each(['1.5', '1e3', '', 'abc', ' 60', '7200'])('refuses expiresIn %p, giving the allowed range', (value) => {
      // Prepare
      const event = withQuery(loadEvent<APIGatewayProxyEventV2>('apigw-http/baike.json'), { expiresIn: value });

      // Act
      const error = refusal(event, baike);

      // Assess
      expect(error.message).toBe('expiresIn must be a whole number of seconds from 1 to 3600 (PRESIGN_MAX_SECONDS)');
    });
  });
});
