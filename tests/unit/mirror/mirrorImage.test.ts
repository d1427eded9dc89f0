import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { helpdeskFaq, im, whiteboard } from '../../../lib/endpoints';
import { clearTenantTokens } from '../../../lib/feishu/tenantToken';
import { mirrorImage, type MirrorOutcome } from '../../../lib/mirror/mirrorImage';
import type { EndpointDescription } from '../../../lib/endpoints';
import type { Settings } from '../../../lib/settings/Settings';
import type { MirrorRequest } from '../../../lib/mirror/MirrorRequest';
import { Deadline } from '../../../lib/runtime/Deadline';
import { FakeFeishu, imageAnswer } from '../helpers/fakeFeishu';
import { GIF, pngBody, SVG } from '../helpers/images';
import { testSettings } from '../helpers/testSettings';
import { FakeS3 } from '../helpers/fakeS3';
import { rejectionOf } from '../helpers/thrownBy';

const WHITEBOARD_ID = 'Vd7LwaTCKhv1bxbxNXAcSWlInFg';
const IM_IMAGE_KEY = 'img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g';
const USER_TOKEN = 'u-cjz1eKCEx289x1TXEiQJqAh5171B4gDHPq00l0GE1234';
const BUCKET = 'feishu-image-mirror-dev-images';
const STORED_SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

// S3 is a fake that answers like S3, handed in with fake Feishu as the invocation's clients.
let s3 = new FakeS3();
let feishu: FakeFeishu;

function mirror(
  endpoint: EndpointDescription,
  given: MirrorRequest,
  settings: Settings,
  deadline: Deadline,
): Promise<MirrorOutcome> {
  return mirrorImage({ endpoint, settings, deadline, clients: feishu.clients({ s3: s3.client }) }, given);
}

function request(source: Record<string, string>, overrides: Partial<MirrorRequest> = {}): MirrorRequest {
  return { source, refresh: false, expiresInSeconds: 900, download: false, redirect: false, ...overrides };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function storeBefore(key: string, fetchedAt: string): void {
  s3.put(BUCKET, key, {
    body: Buffer.alloc(48213),
    contentType: 'image/png',
    metadata: { sha256: STORED_SHA256, 'fetched-at': fetchedAt, 'feishu-log-id': 'stored-log-id' },
  });
}

describe('Function: mirrorImage', () => {
  beforeEach(() => {
    clearTenantTokens();
    s3 = new FakeS3();
    feishu = new FakeFeishu();
  });

  describe('immutable images', () => {
    it('answers from S3 with one HEAD and no Feishu call when the image is stored', async () => {
      // Prepare
      storeBefore(`feishu/im/${IM_IMAGE_KEY}`, '2026-11-21T08:15:42.123Z');

      // Act
      const { answer, feishuAttempts, logId } = await mirror(
        im,
        request({ imageKey: IM_IMAGE_KEY }),
        testSettings(),
        new Deadline(10_000),
      );

      // Assess
      expect(answer).toMatchObject({
        kind: 'im',
        source: { imageKey: IM_IMAGE_KEY },
        bucket: BUCKET,
        key: `feishu/im/${IM_IMAGE_KEY}`,
        contentType: 'image/png',
        size: 48213,
        sha256: STORED_SHA256,
        cached: true,
        fetchedAt: '2026-11-21T08:15:42.123Z',
      });
      expect(feishuAttempts).toBe(0);
      expect(logId).toBe('stored-log-id');
      expect(feishu.calls).toHaveLength(0);
      expect(s3.sent()).toHaveLength(1);
    });

    it('fetches from Feishu and stores the image when it is not stored yet', async () => {
      // Prepare
      const bytes = pngBody(4096);
      feishu.onImage(() => imageAnswer(bytes, 'image/png'));

      // Act
      const { answer, feishuAttempts } = await mirror(
        im,
        request({ imageKey: IM_IMAGE_KEY }),
        testSettings(),
        new Deadline(10_000),
      );

      // Assess
      expect(answer).toMatchObject({
        cached: false,
        size: 4096,
        sha256: sha256(bytes),
        contentType: 'image/png',
        key: `feishu/im/${IM_IMAGE_KEY}`,
      });
      expect(feishuAttempts).toBe(1);
      expect(s3.inputsOf(PutObjectCommand)[0]).toMatchObject({
        Bucket: BUCKET,
        Key: `feishu/im/${IM_IMAGE_KEY}`,
        ContentType: 'image/png',
        Metadata: expect.objectContaining({ sha256: sha256(bytes) }),
      });
    });

    it('makes one Feishu call and one store for concurrent requests of the same image', async () => {
      // Prepare
      const bytes = pngBody(4096);
      feishu.onImage(() => imageAnswer(bytes, 'image/png'));

      // Act
      const outcomes = await Promise.all(
        [900, 60, 300].map((expiresInSeconds) =>
          mirror(im, request({ imageKey: IM_IMAGE_KEY }, { expiresInSeconds }), testSettings(), new Deadline(10_000)),
        ),
      );

      // Assess
      expect(feishu.imageCalls()).toHaveLength(1);
      expect(s3.sent().filter((name) => name === 'PutObject')).toHaveLength(1);
      expect(outcomes.map(({ answer, feishuAttempts }) => [answer.cached, feishuAttempts, answer.sha256])).toEqual([
        [false, 1, sha256(bytes)],
        [true, 0, sha256(bytes)],
        [true, 0, sha256(bytes)],
      ]);
      expect(outcomes.map(({ answer }) => new URL(answer.url).searchParams.get('X-Amz-Expires'))).toEqual([
        '900',
        '60',
        '300',
      ]);
    });

    it('shares a failed download with the requests that waited on it, and tries again afterwards', async () => {
      // Prepare
      feishu.onImage(
        () =>
          new Response('{"code":234005,"msg":"image not found"}', {
            status: 400,
            headers: { 'content-type': 'application/json' },
          }),
      );
      const first = Promise.all(
        [1, 2].map(() =>
          mirror(im, request({ imageKey: IM_IMAGE_KEY }), testSettings(), new Deadline(10_000)).catch(
            (error: Error) => error.name,
          ),
        ),
      );
      const failed = await first;
      feishu.onImage(() => imageAnswer(pngBody(100)));

      // Act
      const next = await mirror(im, request({ imageKey: IM_IMAGE_KEY }), testSettings(), new Deadline(10_000));

      // Assess
      expect(failed).toEqual(['NotFoundError', 'NotFoundError']);
      expect(next.answer.cached).toBe(false);
      expect(feishu.imageCalls()).toHaveLength(2);
    });

    it('never shares a download with a request made with a user token', async () => {
      // Prepare
      feishu.onImage(() => imageAnswer(pngBody(100)));

      // Act
      await Promise.all([
        mirror(
          whiteboard,
          request({ whiteboardId: WHITEBOARD_ID }, { userAccessToken: USER_TOKEN }),
          testSettings({ whiteboardMaxAgeSeconds: 600 }),
          new Deadline(10_000),
        ),
        mirror(
          whiteboard,
          request({ whiteboardId: WHITEBOARD_ID }),
          testSettings({ whiteboardMaxAgeSeconds: 600 }),
          new Deadline(10_000),
        ),
      ]);

      // Assess
      expect(feishu.imageCalls()).toHaveLength(2);
    });

    it('fetches again when asked to refresh, without looking in S3', async () => {
      // Prepare
      feishu.onImage(() => imageAnswer(pngBody(100)));

      // Act
      const { answer } = await mirror(
        im,
        request({ imageKey: IM_IMAGE_KEY }, { refresh: true }),
        testSettings(),
        new Deadline(10_000),
      );

      // Assess
      expect(answer.cached).toBe(false);
      expect(s3.sent().filter((name) => name === 'HeadObject')).toHaveLength(0);
      expect(feishu.imageCalls()).toHaveLength(1);
    });

    it('keeps helpdesk FAQ images under both ids and names the file after the image key', async () => {
      // Prepare
      storeBefore('feishu/helpdesk-faq/6947428293384273921/img_v2_041b', '2026-11-21T08:15:42.123Z');
      const settings = testSettings({
        helpdesk: {
          id: '7012345678901234567',
          token: { value: 'ht-0a1b2c3d4e5f6a7b8c9d', setting: 'FEISHU_HELPDESK_TOKEN' },
        },
      });

      // Act
      const { answer } = await mirror(
        helpdeskFaq,
        request({ faqId: '6947428293384273921', imageKey: 'img_v2_041b' }, { download: true }),
        settings,
        new Deadline(10_000),
      );

      // Assess
      expect(answer.key).toBe('feishu/helpdesk-faq/6947428293384273921/img_v2_041b');
      expect(new URL(answer.url).searchParams.get('response-content-disposition')).toBe(
        'attachment; filename="img_v2_041b.png"',
      );
    });
  });

  describe('whiteboard thumbnails', () => {
    it('are fetched each time, without a HEAD, when WHITEBOARD_MAX_AGE_SECONDS is 0', async () => {
      // Prepare
      feishu.onImage(() => imageAnswer(pngBody(100)));

      // Act
      const { answer } = await mirror(
        whiteboard,
        request({ whiteboardId: WHITEBOARD_ID }),
        testSettings({ whiteboardMaxAgeSeconds: 0 }),
        new Deadline(10_000),
      );

      // Assess
      expect(answer.cached).toBe(false);
      expect(s3.sent().filter((name) => name === 'HeadObject')).toHaveLength(0);
    });

    it('are answered from S3 while younger than WHITEBOARD_MAX_AGE_SECONDS', async () => {
      // Prepare
      storeBefore(`feishu/whiteboard/${WHITEBOARD_ID}`, new Date(Date.now() - 60_000).toISOString());

      // Act
      const { answer } = await mirror(
        whiteboard,
        request({ whiteboardId: WHITEBOARD_ID }),
        testSettings({ whiteboardMaxAgeSeconds: 300 }),
        new Deadline(10_000),
      );

      // Assess
      expect(answer.cached).toBe(true);
      expect(feishu.calls).toHaveLength(0);
    });

    it('are fetched again once older than WHITEBOARD_MAX_AGE_SECONDS', async () => {
      // Prepare
      storeBefore(`feishu/whiteboard/${WHITEBOARD_ID}`, new Date(Date.now() - 301_000).toISOString());
      feishu.onImage(() => imageAnswer(pngBody(100)));

      // Act
      const { answer } = await mirror(
        whiteboard,
        request({ whiteboardId: WHITEBOARD_ID }),
        testSettings({ whiteboardMaxAgeSeconds: 300 }),
        new Deadline(10_000),
      );

      // Assess
      expect(answer.cached).toBe(false);
      expect(feishu.imageCalls()).toHaveLength(1);
    });
  });

  describe("with the caller's user token", () => {
    it('never answers from S3, but stores what Feishu sent', async () => {
      // Prepare
      storeBefore(`feishu/im/${IM_IMAGE_KEY}`, '2026-11-21T08:15:42.123Z');
      feishu.onImage(() => imageAnswer(pngBody(100)));
      const settings = testSettings({ whiteboardMaxAgeSeconds: 86400 });

      // Act
      const { answer } = await mirror(
        whiteboard,
        request({ whiteboardId: WHITEBOARD_ID }, { userAccessToken: USER_TOKEN }),
        settings,
        new Deadline(10_000),
      );

      // Assess
      expect(answer.cached).toBe(false);
      expect(s3.sent().filter((name) => name === 'HeadObject')).toHaveLength(0);
      expect(s3.sent().filter((name) => name === 'PutObject')).toHaveLength(1);
      expect(feishu.imageCalls()[0]!.headers.get('authorization')).toBe(`Bearer ${USER_TOKEN}`);
    });
  });

  describe('the answer', () => {
    it('carries a presigned URL and an expiry expiresIn seconds from now', async () => {
      // Prepare
      storeBefore(`feishu/im/${IM_IMAGE_KEY}`, '2026-11-21T08:15:42.123Z');
      const before = Date.now();

      // Act
      const { answer } = await mirror(
        im,
        request({ imageKey: IM_IMAGE_KEY }, { expiresInSeconds: 600 }),
        testSettings(),
        new Deadline(10_000),
      );

      // Assess
      const url = new URL(answer.url);
      expect(url.pathname).toBe(`/feishu/im/${IM_IMAGE_KEY}`);
      expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
      expect(url.searchParams.get('response-content-disposition')).toBe(`inline; filename="${IM_IMAGE_KEY}.png"`);
      const expiresAt = Date.parse(answer.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 600_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);
    });

    it("gives the source as a copy, not the request's own object", async () => {
      // Prepare
      storeBefore(`feishu/im/${IM_IMAGE_KEY}`, '2026-11-21T08:15:42.123Z');
      const given = request({ imageKey: IM_IMAGE_KEY });

      // Act
      const { answer } = await mirror(im, given, testSettings(), new Deadline(10_000));

      // Assess
      expect(answer.source).toEqual(given.source);
      expect(answer.source).not.toBe(given.source);
    });
  });

  describe('what Feishu sends', () => {
    it("stores the sniffed type when Feishu's Content-Type is generic", async () => {
      // Prepare
      feishu.onImage(() => imageAnswer(SVG, 'application/octet-stream'));

      // Act
      const { answer } = await mirror(
        whiteboard,
        request({ whiteboardId: WHITEBOARD_ID }),
        testSettings(),
        new Deadline(10_000),
      );

      // Assess
      expect(answer.contentType).toBe('image/svg+xml');
      expect(s3.inputsOf(PutObjectCommand)[0]).toMatchObject({ ContentType: 'image/svg+xml' });
    });

    it("keeps Feishu's image type when it names one", async () => {
      // Prepare
      feishu.onImage(() => imageAnswer(GIF, 'image/gif'));

      // Act
      const { answer } = await mirror(
        whiteboard,
        request({ whiteboardId: WHITEBOARD_ID }),
        testSettings(),
        new Deadline(10_000),
      );

      // Assess
      expect(answer.contentType).toBe('image/gif');
    });

    it("answers Feishu's own error when a 200 carries a JSON error body, and stores nothing", async () => {
      // Prepare
      feishu.onImage(
        () =>
          new Response(JSON.stringify({ code: 234005, msg: 'image has been deleted' }), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          }),
      );

      // Act
      const error = await rejectionOf(
        mirror(im, request({ imageKey: IM_IMAGE_KEY }), testSettings(), new Deadline(10_000)),
      );

      // Assess
      expect(error).toMatchObject({ code: 'NOT_FOUND', feishuCode: 234005 });
      expect(s3.sent().filter((name) => name === 'PutObject')).toHaveLength(0);
    });

    it.each([
      ['an HTML page', '<!DOCTYPE html><html><body>系统繁忙</body></html>', 'image/png', 'an HTML page'],
      ['an empty body', '', 'image/png', 'an empty body'],
      ['text', 'Service Unavailable', 'text/plain', 'text'],
    ])(
      'answers UPSTREAM_ERROR for a 200 with %s instead of an image, and stores nothing',
      async (_, body, contentType, what) => {
        // Prepare
        feishu.onImage(() => new Response(body, { status: 200, headers: { 'content-type': contentType } }));

        // Act
        const error = await rejectionOf(
          mirror(whiteboard, request({ whiteboardId: WHITEBOARD_ID }), testSettings(), new Deadline(10_000)),
        );

        // Assess
        expect(error).toMatchObject({
          code: 'UPSTREAM_ERROR',
          message:
            `whiteboard thumbnail ${WHITEBOARD_ID}: Feishu answered 200 with ${what} instead of an image; ` +
            'nothing was stored',
        });
        expect(s3.sent().filter((name) => name === 'PutObject')).toHaveLength(0);
      },
    );

    it(
      "answers PAYLOAD_TOO_LARGE from Feishu's Content-Length before reading the body, " + 'and stores nothing',
      async () => {
        // Prepare
        feishu.onImage(() => imageAnswer(pngBody(4096)));

        // Act
        const error = await rejectionOf(
          mirror(
            im,
            request({ imageKey: IM_IMAGE_KEY }, { refresh: true }),
            testSettings({ maxImageBytes: 1024 }),
            new Deadline(10_000),
          ),
        );

        // Assess
        expect(error).toMatchObject({
          code: 'PAYLOAD_TOO_LARGE',
          status: 413,
          message: `im image ${IM_IMAGE_KEY}: the image is 4096 bytes, over MAX_IMAGE_BYTES (1024)`,
        });
        expect(s3.sent()).toHaveLength(0);
      },
    );

    it(
      'answers PAYLOAD_TOO_LARGE for a body without Content-Length that passes the limit, ' + 'and stores nothing',
      async () => {
        // Prepare
        feishu.onImage(() => new Response(pngBody(4096), { status: 200, headers: { 'content-type': 'image/png' } }));

        // Act
        const error = await rejectionOf(
          mirror(
            im,
            request({ imageKey: IM_IMAGE_KEY }, { refresh: true }),
            testSettings({ maxImageBytes: 1024 }),
            new Deadline(10_000),
          ),
        );

        // Assess
        expect(error.code).toBe('PAYLOAD_TOO_LARGE');
        expect(s3.sent()).toHaveLength(0);
      },
    );
  });
});
