import {
  baike,
  docx,
  driveMedia,
  helpdeskFaq,
  im,
  imMessage,
  whiteboard,
  wikiSpace,
  driveFolder,
  type EndpointDescription,
} from '../../../lib/endpoints';
import { ERROR_CODES, type ErrorCode } from '../../../lib/errors/errorCodes';
import { FEISHU_ERRORS } from '../../../lib/feishu/feishuErrorTable';
import {
  feishuLogId,
  parseFeishuBody,
  translateFeishuFailure,
  type FeishuCallContext,
} from '../../../lib/feishu/translateFeishuFailure';
import { secondsUntilNextFeishuDay } from '../../../lib/feishu/feishuDay';
import { loadFeishuAnswer } from '../helpers/feishuAnswer';

type Handling = 'retry' | 'newToken' | 'none';

// The places' descriptions, where the table's cases take an image endpoint's: their codes are read alike.
const wikiSpaceEndpoint = wikiSpace as unknown as EndpointDescription;
const driveFolderEndpoint = driveFolder as unknown as EndpointDescription;

interface Expected {
  /** The HTTP status Feishu documents (or is observed to use) for the code. */
  status: number;
  endpoint: EndpointDescription;
  code: ErrorCode;
  retryable: boolean;
  handling: Handling;
  /** With the caller's own user token, where that differs. */
  withUserToken?: { code: ErrorCode; handling: Handling };
  /** The setting a MISCONFIGURED message must name. */
  setting?: string;
}

const APP = 'FEISHU_APP_ID / FEISHU_APP_SECRET';
const misconfigured = (endpoint: EndpointDescription, setting: string, status = 400): Expected => ({
  status,
  endpoint,
  code: 'MISCONFIGURED',
  retryable: false,
  handling: 'none',
  setting,
});
const tokenRejected = (endpoint: EndpointDescription, status: number): Expected => ({
  status,
  endpoint,
  code: 'MISCONFIGURED',
  retryable: false,
  handling: 'newToken',
  setting: APP,
  withUserToken: { code: 'UNAUTHORIZED', handling: 'none' },
});
const plain = (
  status: number,
  endpoint: EndpointDescription,
  code: ErrorCode,
  retryable: boolean,
  handling: Handling = 'none',
): Expected => ({
  status,
  endpoint,
  code,
  retryable,
  handling,
});

/**
 * The error table (README.md, "Errors") and docs/feishu-platform.md, written out by hand for every code:
 * the table in lib/ must agree with it code by code.
 */
const EXPECTED: Readonly<Record<number, Expected>> = {
  // Token endpoint: the app's credentials.
  10003: misconfigured(whiteboard, APP, 200),
  10012: misconfigured(whiteboard, APP, 200),
  10013: misconfigured(whiteboard, APP, 200),
  10014: misconfigured(whiteboard, APP, 200),
  10015: misconfigured(whiteboard, APP, 200),
  99991543: misconfigured(whiteboard, APP, 200),
  // Generic codes.
  99991661: misconfigured(im, APP),
  99991663: tokenRejected(im, 400),
  99991664: tokenRejected(im, 400),
  99991665: tokenRejected(im, 400),
  99991671: tokenRejected(im, 400),
  99991668: {
    ...plain(400, whiteboard, 'UPSTREAM_ERROR', false),
    withUserToken: { code: 'UNAUTHORIZED', handling: 'none' },
  },
  99991677: {
    ...plain(400, whiteboard, 'UPSTREAM_ERROR', false),
    withUserToken: { code: 'UNAUTHORIZED', handling: 'none' },
  },
  99991672: misconfigured(whiteboard, 'FEISHU_APP_ID'),
  99991673: misconfigured(whiteboard, 'FEISHU_APP_ID'),
  99991676: misconfigured(whiteboard, 'FEISHU_APP_ID'),
  99991400: plain(429, im, 'RATE_LIMITED', true, 'retry'),
  99991401: misconfigured(im, 'FEISHU_APP_ID'),
  99991403: plain(400, im, 'RATE_LIMITED', false),
  // board/v1 whiteboards download_as_image
  2890001: plain(400, whiteboard, 'INVALID_REQUEST', false),
  2890002: plain(400, whiteboard, 'INVALID_REQUEST', false),
  2890003: plain(400, whiteboard, 'NOT_FOUND', false),
  2890004: tokenRejected(whiteboard, 401),
  2890005: plain(403, whiteboard, 'FORBIDDEN', false),
  2890006: plain(429, whiteboard, 'RATE_LIMITED', true, 'retry'),
  2891001: plain(500, whiteboard, 'UPSTREAM_ERROR', true, 'retry'),
  // baike/v1 files download
  1540001: plain(400, baike, 'INVALID_REQUEST', false),
  1540002: plain(500, baike, 'UPSTREAM_ERROR', true, 'retry'),
  // helpdesk/v1 faqs image
  154000: plain(400, helpdeskFaq, 'INVALID_REQUEST', false),
  154001: misconfigured(helpdeskFaq, 'FEISHU_HELPDESK_ID / FEISHU_HELPDESK_TOKEN', 401),
  154003: plain(403, helpdeskFaq, 'FORBIDDEN', false),
  154004: plain(404, helpdeskFaq, 'NOT_FOUND', false),
  155000: plain(500, helpdeskFaq, 'UPSTREAM_ERROR', true, 'retry'),
  // im/v1 images
  234001: plain(400, im, 'INVALID_REQUEST', false),
  234002: tokenRejected(im, 401),
  234005: plain(400, im, 'NOT_FOUND', false),
  234007: misconfigured(im, 'FEISHU_APP_ID'),
  234008: plain(400, im, 'FORBIDDEN', false),
  234041: plain(400, im, 'UPSTREAM_ERROR', false),
  234042: plain(400, im, 'UPSTREAM_ERROR', false),
  // im/v1 messages resources
  230110: plain(400, imMessage, 'NOT_FOUND', false),
  234003: plain(400, imMessage, 'NOT_FOUND', false),
  234004: plain(400, imMessage, 'FORBIDDEN', false),
  234009: plain(400, imMessage, 'FORBIDDEN', false),
  234037: plain(400, imMessage, 'PAYLOAD_TOO_LARGE', false),
  234038: plain(400, imMessage, 'FORBIDDEN', false),
  234040: plain(400, imMessage, 'FORBIDDEN', false),
  234043: plain(400, imMessage, 'INVALID_REQUEST', false),
  // drive/v1 medias download
  1061001: plain(500, driveMedia, 'UPSTREAM_ERROR', true, 'retry'),
  1061002: plain(400, driveMedia, 'INVALID_REQUEST', false),
  1061003: plain(404, driveMedia, 'NOT_FOUND', false),
  1061004: plain(403, driveMedia, 'FORBIDDEN', false),
  1061005: tokenRejected(driveMedia, 401),
  1061006: plain(500, driveMedia, 'UPSTREAM_ERROR', true, 'retry'),
  1061007: plain(404, driveMedia, 'NOT_FOUND', false),
  1061045: plain(429, driveMedia, 'RATE_LIMITED', true, 'retry'),
  1061073: misconfigured(driveMedia, 'FEISHU_APP_ID'),
  // docx/v1 documents blocks
  1770001: plain(400, docx, 'INVALID_REQUEST', false),
  1770002: plain(404, docx, 'NOT_FOUND', false),
  1770032: plain(403, docx, 'FORBIDDEN', false),
  // drive/v1 files (a folder's listing)
  1064001: plain(400, driveFolderEndpoint, 'INVALID_REQUEST', false),
  // wiki/v2 spaces nodes: every code with HTTP 400
  131001: plain(400, wikiSpaceEndpoint, 'UPSTREAM_ERROR', true, 'retry'),
  131002: plain(400, wikiSpaceEndpoint, 'INVALID_REQUEST', false),
  131003: plain(400, wikiSpaceEndpoint, 'INVALID_REQUEST', false),
  131004: {
    ...plain(400, wikiSpaceEndpoint, 'UPSTREAM_ERROR', false),
    withUserToken: { code: 'UNAUTHORIZED', handling: 'none' },
  },
  131005: plain(400, wikiSpaceEndpoint, 'NOT_FOUND', false),
  131006: plain(400, wikiSpaceEndpoint, 'FORBIDDEN', false),
  131007: plain(400, wikiSpaceEndpoint, 'UPSTREAM_ERROR', true, 'retry'),
};

const LOG_ID = '202611210815421A2B3C4D5E6F7A8B9C0D';
const USER_TOKEN = 'u-cjz1eKCEx289x1TXEiQJqAh5171B4gDHPq00l0GE1234';

function answer(
  status: number,
  code: number | undefined,
  headers: Record<string, string> = {},
  msg = 'some message',
): { status: number; headers: Headers; body: string } {
  return {
    status,
    headers: new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-tt-logid': LOG_ID, ...headers }),
    body: JSON.stringify({ ...(code === undefined ? {} : { code }), msg, error: { log_id: LOG_ID } }),
  };
}

function context(endpoint: EndpointDescription, withUserToken = false): FeishuCallContext {
  return { endpoint, subject: `${endpoint.noun} Vd7LwaTCKhv1bxbxNXAcSWlInFg`, withUserToken };
}

const tableCases = Object.entries(FEISHU_ERRORS).map(([code, rule]) => [Number(code), rule] as const);
const expectedCases = Object.entries(EXPECTED).map(([code, expected]) => [Number(code), expected] as const);

describe('Function: translateFeishuFailure', () => {
  describe('the error table', () => {
    it('holds exactly the documented codes, no more and no fewer', () => {
      // Prepare
      const documented = Object.keys(EXPECTED)
        .map(Number)
        .sort((a, b) => a - b);

      // Act
      const inTable = Object.keys(FEISHU_ERRORS)
        .map(Number)
        .sort((a, b) => a - b);

      // Assess
      expect(inTable).toEqual(documented);
    });

    it.each(tableCases)(
      "translates code %i into the product code of its rule with that code's status",
      (code, rule) => {
        // Prepare
        const expected = EXPECTED[code];

        // Act
        const { error } = translateFeishuFailure(
          answer(expected?.status ?? 400, code),
          context(expected?.endpoint ?? im),
        );

        // Assess
        expect(error.code).toBe(rule.code);
        expect(error.status).toBe(ERROR_CODES[rule.code].status);
        expect(error.name).toBe(ERROR_CODES[rule.code].name);
        expect(error.feishuCode).toBe(code);
        expect(error.logId).toBe(LOG_ID);
        expect(error.message).toContain(`Feishu code ${code}`);
      },
    );
  });

  describe('with the tenant token', () => {
    it.each(expectedCases)(
      'answers code %i with the product code, retryability and handling the contract gives it',
      (code, expected) => {
        // Prepare
        const response = answer(expected.status, code);

        // Act
        const failure = translateFeishuFailure(response, context(expected.endpoint));

        // Assess
        expect({ code: failure.error.code, retryable: failure.error.retryable, handling: failure.handling }).toEqual({
          code: expected.code,
          retryable: expected.retryable,
          handling: expected.handling,
        });
      },
    );

    it.each(expectedCases.filter(([, expected]) => expected.setting !== undefined))(
      'names the setting to check in the MISCONFIGURED message of code %i',
      (code, expected) => {
        // Prepare
        const response = answer(expected.status, code);

        // Act
        const { error } = translateFeishuFailure(response, context(expected.endpoint));

        // Assess
        expect(error.message).toContain(`check ${expected.setting}`);
      },
    );

    it('names the scope the whiteboard API needs when the app lacks it', () => {
      // Prepare
      const response = answer(400, 99991672);

      // Act
      const { error } = translateFeishuFailure(response, context(whiteboard));

      // Assess
      expect(error.message).toContain('board:whiteboard:node:read');
    });

    it('starts the message with the subject of the call', () => {
      // Prepare
      const response = answer(400, 2890003);

      // Act
      const { error } = translateFeishuFailure(response, {
        endpoint: whiteboard,
        subject: 'whiteboard thumbnail Vd7LwaTCKhv1bxbxNXAcSWlInFg',
        withUserToken: false,
      });

      // Assess
      expect(error.message.startsWith('whiteboard thumbnail Vd7LwaTCKhv1bxbxNXAcSWlInFg: ')).toBe(true);
    });

    it('reads a recorded "record missing" answer as NOT_FOUND with Feishu\'s code, message and log id', () => {
      // Prepare
      const response = loadFeishuAnswer('whiteboard-not-found');

      // Act
      const { error, handling } = translateFeishuFailure(response, context(whiteboard));

      // Assess
      expect(error).toMatchObject({
        code: 'NOT_FOUND',
        name: 'NotFoundError',
        status: 404,
        retryable: false,
        feishuCode: 2890003,
        feishuMsg: 'record missing',
        logId: '202611210815421A2B3C4D5E6F7A8B9C0D',
      });
      expect(handling).toBe('none');
    });
  });

  describe("with the caller's user token", () => {
    it.each([99991668, 99991677, 2890004])('answers code %i as UNAUTHORIZED, not retried', (code) => {
      // Prepare
      const response = answer(code === 2890004 ? 401 : 400, code);

      // Act
      const { error, handling } = translateFeishuFailure(response, context(whiteboard, true));

      // Assess
      expect(error).toMatchObject({ code: 'UNAUTHORIZED', name: 'UnauthorizedError', status: 401, retryable: false });
      expect(handling).toBe('none');
    });

    it.each([99991663, 99991664, 99991665, 99991671, 2890004])(
      'does not ask for a new tenant token when code %i rejects a user token',
      (code) => {
        // Prepare
        const response = answer(400, code);

        // Act
        const { handling } = translateFeishuFailure(response, context(whiteboard, true));

        // Assess
        expect(handling).not.toBe('newToken');
      },
    );

    it("says that the caller's own token was rejected, without the token", () => {
      // Prepare
      const response = answer(400, 99991668, {}, `user token ${USER_TOKEN} is invalid`);

      // Act
      const { error } = translateFeishuFailure(response, context(baike, true));

      // Assess
      expect(error.message).toContain("Feishu rejected the caller's user access token");
      expect(JSON.stringify({ message: error.message, feishuMsg: error.feishuMsg })).not.toContain(USER_TOKEN);
    });

    it.each(expectedCases.filter(([, expected]) => expected.withUserToken === undefined))(
      'answers code %i as it does with the tenant token',
      (code, expected) => {
        // Prepare
        const response = answer(expected.status, code);

        // Act
        const { error } = translateFeishuFailure(response, context(expected.endpoint, true));

        // Assess
        expect(error.code).toBe(expected.code);
      },
    );
  });

  describe('the explicit rules of the contract', () => {
    it('answers 234008 (the image was not uploaded by this app) as FORBIDDEN', () => {
      // Prepare
      const response = answer(400, 234008);

      // Act
      const { error } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403, name: 'ForbiddenError' });
    });

    it.each([234041, 234042])('answers %i as an UPSTREAM_ERROR that is neither retried nor retryable', (code) => {
      // Prepare
      const response = answer(400, code);

      // Act
      const { error, handling } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502, retryable: false });
      expect(handling).toBe('none');
    });

    it('answers 99991403 (monthly quota used up) as RATE_LIMITED, not retried and not retryable', () => {
      // Prepare
      const response = answer(400, 99991403);

      // Act
      const { error, handling } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryable: false });
      expect(handling).toBe('none');
    });

    it('takes the wait from x-ogw-ratelimit-reset for 99991400, as resetSeconds and retryAfterSeconds', () => {
      // Prepare
      const response = loadFeishuAnswer('rate-limited', (recorded) => {
        recorded.headers['x-ogw-ratelimit-reset'] = '7';
      });

      // Act
      const { error, handling, resetSeconds } = translateFeishuFailure(response, context(im));

      // Assess
      expect(handling).toBe('retry');
      expect(resetSeconds).toBe(7);
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 7 });
    });

    it('answers 1061045 with a reset within a minute as a rate limit to retry', () => {
      // Prepare
      const response = answer(429, 1061045, { 'x-ogw-ratelimit-reset': '1' });

      // Act
      const { error, handling } = translateFeishuFailure(response, context(driveMedia));

      // Assess
      expect(handling).toBe('retry');
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 1 });
    });

    it('answers 1061045 with a reset beyond a minute as the spent daily quota, until the next Feishu day', () => {
      // Prepare
      const response = answer(429, 1061045, { 'x-ogw-ratelimit-reset': '41234' });

      // Act
      const { error, handling } = translateFeishuFailure(response, context(driveMedia));

      // Assess
      expect(handling).toBe('quotaUsedUp');
      expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryable: false, feishuCode: 1061045 });
      expect(error.message).toContain(
        "the app's daily quota of calls to this API is used up until the next Feishu day",
      );
      expect(error.retryAfterSeconds).toBe(secondsUntilNextFeishuDay(Date.now()));
    });

    it('names the scope the drive media API needs when Feishu answers 1061073', () => {
      // Prepare
      const response = answer(400, 1061073);

      // Act
      const { error } = translateFeishuFailure(response, context(driveMedia));

      // Assess
      expect(error.code).toBe('MISCONFIGURED');
      expect(error.message).toContain('(docs:document.media:download); check FEISHU_APP_ID');
    });

    it('rounds a fractional x-ogw-ratelimit-reset up to whole seconds', () => {
      // Prepare
      const response = loadFeishuAnswer('rate-limited', (recorded) => {
        recorded.headers['x-ogw-ratelimit-reset'] = '0.2';
      });

      // Act
      const { resetSeconds, error } = translateFeishuFailure(response, context(im));

      // Assess
      expect(resetSeconds).toBe(1);
      expect(error.retryAfterSeconds).toBe(1);
    });

    it('ignores an x-ogw-ratelimit-reset that is not a number, and still sets a Retry-After', () => {
      // Prepare
      const response = loadFeishuAnswer('rate-limited', (recorded) => {
        recorded.headers['x-ogw-ratelimit-reset'] = 'soon';
      });

      // Act
      const { resetSeconds, error } = translateFeishuFailure(response, context(im));

      // Assess
      expect(resetSeconds).toBeUndefined();
      expect(error.retryAfterSeconds).toBe(1);
    });

    it('treats 99991400 answered with HTTP 400 (older APIs) as a rate limit too', () => {
      // Prepare
      const response = answer(400, 99991400);

      // Act
      const { error, handling } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error.code).toBe('RATE_LIMITED');
      expect(handling).toBe('retry');
    });

    it('sets no retryAfterSeconds on errors other than RATE_LIMITED', () => {
      // Prepare
      const response = answer(500, 2891001, { 'x-ogw-ratelimit-reset': '3' });

      // Act
      const { error } = translateFeishuFailure(response, context(whiteboard));

      // Assess
      expect(error.code).toBe('UPSTREAM_ERROR');
      expect(error.retryAfterSeconds).toBeUndefined();
    });
  });

  describe('answers without a known code', () => {
    it('answers an unknown code with a 5xx status as a retried, retryable UPSTREAM_ERROR', () => {
      // Prepare
      const response = answer(503, 1999999);

      // Act
      const { error, handling } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true, feishuCode: 1999999 });
      expect(error.message).toContain('unknown code 1999999');
      expect(handling).toBe('retry');
    });

    it('answers an unknown code with a 4xx status as an UPSTREAM_ERROR that is not retryable', () => {
      // Prepare
      const response = answer(400, 1999999);

      // Act
      const { error, handling } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: false, feishuCode: 1999999 });
      expect(handling).toBe('none');
    });

    it("answers the gateway's plain-text 404 as MISCONFIGURED naming FEISHU_BASE_URL", () => {
      // Prepare
      const response = loadFeishuAnswer('gateway-404');

      // Act
      const { error, handling } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error).toMatchObject({ code: 'MISCONFIGURED', name: 'MisconfiguredError', status: 500, retryable: false });
      expect(error.message).toContain('FEISHU_BASE_URL');
      expect(handling).toBe('none');
    });

    it('answers a 429 without a code as RATE_LIMITED, retried', () => {
      // Prepare
      const response = {
        status: 429,
        headers: new Headers({ 'x-ogw-ratelimit-reset': '2' }),
        body: 'Too Many Requests',
      };

      // Act
      const { error, handling, resetSeconds } = translateFeishuFailure(response, context(baike));

      // Assess
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 2 });
      expect(handling).toBe('retry');
      expect(resetSeconds).toBe(2);
    });

    it('answers an HTML 502 from a proxy as a retried UPSTREAM_ERROR that names the status', () => {
      // Prepare
      const response = loadFeishuAnswer('server-error');

      // Act
      const { error, handling } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true });
      expect(error.feishuCode).toBeUndefined();
      expect(error.message).toContain('HTTP 502');
      expect(handling).toBe('retry');
    });
  });

  describe("log ids and Feishu's message", () => {
    it("takes the log id from X-Tt-Logid before the body's error.log_id", () => {
      // Prepare
      const response = {
        status: 400,
        headers: new Headers({ 'X-Tt-Logid': 'from-header-tt', 'X-Request-Id': 'from-header-request' }),
        body: JSON.stringify({ code: 234005, msg: 'image deleted', error: { log_id: 'from-body' } }),
      };

      // Act
      const { error } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error.logId).toBe('from-header-tt');
    });

    it('falls back to X-Request-Id when there is no X-Tt-Logid', () => {
      // Prepare
      const response = {
        status: 400,
        headers: new Headers({ 'X-Request-Id': 'from-header-request' }),
        body: JSON.stringify({ code: 234005, error: { log_id: 'from-body' } }),
      };

      // Act
      const { error } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error.logId).toBe('from-header-request');
    });

    it("falls back to the body's error.log_id when no header carries one", () => {
      // Prepare
      const response = {
        status: 400,
        headers: new Headers(),
        body: JSON.stringify({ code: 234005, error: { log_id: 'from-body' } }),
      };

      // Act
      const { error } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error.logId).toBe('from-body');
    });

    it("redacts a token-shaped string in Feishu's msg", () => {
      // Prepare
      const token = 't-g1044qeGEDXTB6NDJOGV4JQX6NDA2QOQSTIC2ZC4';
      const response = answer(400, 99991663, {}, `Invalid access token for authorization: ${token}`);

      // Act
      const { error } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error.feishuMsg).toBe('Invalid access token for authorization: [redacted]');
      expect(error.message).not.toContain(token);
    });

    it("keeps at most 500 characters of Feishu's msg", () => {
      // Prepare
      const response = answer(400, 234001, {}, 'x'.repeat(2000));

      // Act
      const { error } = translateFeishuFailure(response, context(im));

      // Assess
      expect(error.feishuMsg).toHaveLength(500);
    });
  });
});

describe('Function: parseFeishuBody', () => {
  it('reads code, msg and error.log_id from a Feishu JSON body', () => {
    // Prepare
    const body = JSON.stringify({ code: 234005, msg: 'image deleted', error: { log_id: 'abc123' } });

    // Act
    const parsed = parseFeishuBody(body);

    // Assess
    expect(parsed).toEqual({ code: 234005, msg: 'image deleted', bodyLogId: 'abc123' });
  });

  it.each([
    ['plain text', '404 page not found'],
    ['an empty body', ''],
    ['JSON null', 'null'],
    ['a JSON string', '"error"'],
  ])('reads nothing from %s', (_, body) => {
    // Act
    const parsed = parseFeishuBody(body);

    // Assess
    expect(parsed).toEqual({});
  });

  it('ignores fields of the wrong type', () => {
    // Prepare
    const body = JSON.stringify({ code: '234005', msg: 42, error: { log_id: 7 } });

    // Act
    const parsed = parseFeishuBody(body);

    // Assess
    expect(parsed).toEqual({ code: undefined, msg: undefined, bodyLogId: undefined });
  });
});

describe('Function: feishuLogId', () => {
  it('reads X-Tt-Logid whatever its case', () => {
    // Act
    const logId = feishuLogId(new Headers({ 'X-TT-LOGID': 'abc' }));

    // Assess
    expect(logId).toBe('abc');
  });

  it('answers undefined when neither header is there', () => {
    // Act
    const logId = feishuLogId(new Headers({ 'content-type': 'image/png' }));

    // Assess
    expect(logId).toBeUndefined();
  });

  it('keeps a log id of printable ASCII as Feishu sent it', () => {
    // Act
    const logId = feishuLogId(new Headers({ 'x-tt-logid': '20261121085837A1B2C3D4E5F60718293A' }));

    // Assess
    expect(logId).toBe('20261121085837A1B2C3D4E5F60718293A');
  });

  it.each([
    ['longer than 64 characters', 'a'.repeat(65)],
    ['holding bytes beyond ASCII (0xE9 0xA0)', `2026112108${String.fromCharCode(0xe9, 0xa0)}A1B2`],
    ['holding a space', '20261121 085837'],
    ['holding a tenant token', 't-g1044qeGEDXTB6NDJOGV4JQX6NDA2QOQ'],
  ])('drops a log id %s, which would go into answers, logs and S3 metadata as it is', (_, given) => {
    // Act
    const logId = feishuLogId({ get: (name) => (name === 'x-tt-logid' ? given : null) });

    // Assess
    expect(logId).toBeUndefined();
  });

  it("drops the body's log id when it is no plain log id either", () => {
    // Prepare
    const body = JSON.stringify({
      code: 2890003,
      msg: 'record missing',
      error: { log_id: 'Bearer t-g1044qeGEDXTB6NDJOGV4JQX6NDA2' },
    });

    // Act
    const { error } = translateFeishuFailure(
      { status: 400, headers: new Headers(), body },
      { endpoint: whiteboard, subject: 'whiteboard thumbnail wb1', withUserToken: false },
    );

    // Assess
    expect(error.logId).toBeUndefined();
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('Function: translateFeishuFailure on a place endpoint', () => {
  it.each([
    [
      wikiSpaceEndpoint,
      131006,
      'wiki space Vd7LwaTCKhv1bxbxNXAcSWlInFg: the app may not read the wiki space: ' +
        'add the app to the space as a member (Feishu code 131006)',
    ],
    [
      driveFolderEndpoint,
      1061004,
      'Drive folder Vd7LwaTCKhv1bxbxNXAcSWlInFg: the app may not read the folder: ' +
        'share it with the app (Feishu code 1061004)',
    ],
    [
      driveFolderEndpoint,
      1061003,
      'Drive folder Vd7LwaTCKhv1bxbxNXAcSWlInFg: the folder does not exist (Feishu code 1061003)',
    ],
  ])('says what a code means on a place endpoint: %#', (endpoint, code, message) => {
    // Act
    const { error } = translateFeishuFailure(answer(400, code), context(endpoint));

    // Assess
    expect(error.message).toBe(message);
  });
});
