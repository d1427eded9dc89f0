import { baike, helpdeskFaq, im, whiteboard, type EndpointDescription } from '../../../lib/endpoints';
import type { MirrorRequest } from '../../../lib/mirror/MirrorRequest';
import { parseDirectPayload } from '../../../lib/request/parseDirectPayload';
import { FAQ_ID, FAQ_IMAGE_KEY, FILE_TOKEN, IM_IMAGE_KEY, USER_TOKEN, WHITEBOARD_ID } from '../../support/eventIds';
import { loadEvent } from '../../support/loadEvent';
import { testSettings } from '../helpers/testSettings';
import { refusalOf } from '../helpers/thrownBy';

const settings = testSettings({ presignExpiresSeconds: 900, presignMaxSeconds: 3600 });

const parse = (payload: unknown, endpoint: EndpointDescription): MirrorRequest =>
  parseDirectPayload(payload, endpoint, settings);
const refusal = (payload: unknown, endpoint: EndpointDescription) => refusalOf(() => parse(payload, endpoint));

/** The im payload of tests/events/ with these fields added or replaced. */
const imPayload = (fields: Record<string, unknown>): Record<string, unknown> => ({
  ...loadEvent('direct/im.json'),
  ...fields,
});

describe('Function: parseDirectPayload', () => {
  describe('ids, options and the user token', () => {
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
      expect(request).toEqual({
        source,
        refresh: false,
        download: false,
        expiresInSeconds: 900,
        redirect: false,
        userAccessToken: undefined,
      });
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
      expect(error.message).toBe(
        `userAccessToken is not accepted here: the ${noun} API takes only the app's tenant token`,
      );
      expect(error.message).not.toContain(USER_TOKEN);
    });

    it.each([
      ['a tenant token', 't-g1044qeGEDXTB6NDJOGV4JQX6NDA2QOQSTIC2ZC4'],
      ['a bare string', 'cjz1eKCEx289x1TXEiQJqAh5171B4gDHPq00l0GE1234'],
      ['a token with a space', 'u-cjz1eKCEx289 x1TXEiQJqAh5171B4gDHPq00l0GE'],
      ['the prefix alone', 'u-'],
      ['a number', 12345],
    ])('refuses %s as a user token, without echoing it', (_, token) => {
      // Prepare
      const payload = { ...loadEvent('direct/whiteboard.json'), userAccessToken: token };

      // Act
      const error = refusal(payload, whiteboard);

      // Assess
      expect(error.message).toBe('userAccessToken must be a Feishu user_access_token (it starts with u-)');
    });

    it.each([
      ['redirect', true],
      ['imagekey', IM_IMAGE_KEY],
      ['expires_in', 60],
    ])('refuses the unknown field %s, naming it and the expected ones', (field, value) => {
      // Prepare
      const payload = imPayload({ [field]: value });

      // Act
      const error = refusal(payload, im);

      // Assess
      expect(error.message).toBe(
        `unknown field '${field}'; expected imageKey, refresh, expiresIn, download, userAccessToken`,
      );
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

  // JSON values of the wrong type reach the rules only here; the rules for text are in parseHttpEvent's tests.
  describe('ids and options given as JSON values', () => {
    it.each([
      ['missing', {}, 'imageKey is required'],
      ['null', { imageKey: null }, 'imageKey is required'],
      ['a number', { imageKey: 1234567 }, 'imageKey must be a string, not a number'],
      ['an object', { imageKey: { key: 'img' } }, 'imageKey must be a string, not an object'],
    ])('refuses an id that is %s, saying what is wrong', (_, payload, message) => {
      // Act
      const error = refusal(payload, im);

      // Assess
      expect(error.message).toBe(message);
    });

    it.each([true, 1])('reads %p as true', (value) => {
      // Prepare
      const payload = imPayload({ refresh: value, download: value });

      // Act
      const request = parse(payload, im);

      // Assess
      expect(request).toMatchObject({ refresh: true, download: true });
    });

    it.each([false, 0])('reads %p as false', (value) => {
      // Prepare
      const payload = imPayload({ refresh: value, download: value });

      // Act
      const request = parse(payload, im);

      // Assess
      expect(request).toMatchObject({ refresh: false, download: false });
    });

    it.each([2, null])('refuses %p for a boolean option, naming it', (value) => {
      // Prepare
      const payload = imPayload({ download: value });

      // Act
      const error = refusal(payload, im);

      // Assess
      expect(error.message).toBe('download must be true, false, 1 or 0');
    });

    it('takes options written as text too, as a query string writes them', () => {
      // Prepare
      const payload = imPayload({ refresh: 'true', download: '0', expiresIn: '0300' });

      // Act
      const request = parse(payload, im);

      // Assess
      expect(request).toMatchObject({ refresh: true, download: false, expiresInSeconds: 300 });
    });

    it.each([1, 3600])('accepts expiresIn %p as that many seconds', (seconds) => {
      // Prepare
      const payload = imPayload({ expiresIn: seconds });

      // Act
      const request = parse(payload, im);

      // Assess
      expect(request.expiresInSeconds).toBe(seconds);
    });

    it.each([0, -5, 3601, 1.5, true, Number.NaN, 604800])('refuses expiresIn %p, giving the allowed range', (value) => {
      // Prepare
      const payload = imPayload({ expiresIn: value });

      // Act
      const error = refusal(payload, im);

      // Assess
      expect(error.message).toBe('expiresIn must be a whole number of seconds from 1 to 3600 (PRESIGN_MAX_SECONDS)');
    });

    it('follows the configured PRESIGN_MAX_SECONDS', () => {
      // Prepare
      const payload = imPayload({ expiresIn: 86400 });
      const week = testSettings({ presignMaxSeconds: 604800 });

      // Act
      const request = parseDirectPayload(payload, im, week);

      // Assess
      expect(request.expiresInSeconds).toBe(86400);
    });

    it('takes a URL lifetime of a day with a user token, as long as the copy it points at is kept', () => {
      // Prepare
      const payload = { ...loadEvent('direct/baike.json'), userAccessToken: USER_TOKEN, expiresIn: 86400 };

      // Act
      const request = parseDirectPayload(payload, baike, testSettings({ presignMaxSeconds: 604800 }));

      // Assess
      expect(request).toMatchObject({ expiresInSeconds: 86400, userAccessToken: USER_TOKEN });
    });

    it('refuses a URL lifetime over a day with a user token, which would outlive the copy it points at', () => {
      // Prepare
      const payload = { ...loadEvent('direct/baike.json'), userAccessToken: USER_TOKEN, expiresIn: 86401 };

      // Act
      const error = refusalOf(() => parseDirectPayload(payload, baike, testSettings({ presignMaxSeconds: 604800 })));

      // Assess
      expect(error.message).toBe(
        'expiresIn must be at most 86400 seconds with a user token: images fetched with one are kept a day',
      );
    });
  });
});
