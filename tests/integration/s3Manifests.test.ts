import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event, S3ObjectCreatedNotificationEvent, SQSEvent } from 'aws-lambda';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import type { ManifestResults, ManifestsAnswer } from '../../lib/triggers/handleS3Manifests';
import { containerClients } from '../../lib/clients/containerClients';
import { logger } from '../../lib/runtime/logger';
import { answerOf, errorOf } from '../support/batchTypes';
import { countS3Commands } from '../support/countS3Commands';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

describe('S3 manifests', () => {
  const env = useMirrorEnvironment();
  beforeEach(() => env.setEnv({ MANIFEST_MAX_BYTES: undefined }));
  afterEach(() => jest.restoreAllMocks());

  /** Drops a manifest into the bucket as a user would, and the notification S3 would send for it. */
  async function dropManifest(fixture: string, key: string, body: string): Promise<S3Event> {
    await env.client.send(new PutObjectCommand({ Bucket: env.bucket, Key: key, Body: body }));
    const event = loadEvent<S3Event>(fixture);
    event.Records[0]!.s3.object.key = encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
    event.Records[0]!.s3.object.size = Buffer.byteLength(body);
    return event;
  }

  /** A notification of a manifest deleted before it is read, then of `requests/im/{name}.jsonl`, readable. */
  async function deletedThenReadable(name: string): Promise<S3Event> {
    const key = `requests/im/${name}.jsonl`;
    const event = await dropManifest('s3/im-jsonl-manifest-created.json', key, `{"imageKey": "img_v3_02ab_${name}"}\n`);
    const deleted = structuredClone(event.Records[0]!);
    deleted.s3.object.key = `requests/im/${name}-deleted-meanwhile.jsonl`;
    event.Records = [deleted, event.Records[0]!];
    return event;
  }

  async function results(key: string): Promise<ManifestResults> {
    return JSON.parse((await env.object(key)).bytes.toString('utf8')) as ManifestResults;
  }

  /** Every line the functions log from now on, at any level: its message and its fields. */
  function logLines(): [string, unknown][] {
    const lines: [string, unknown][] = [];
    for (const level of ['debug', 'info', 'warn', 'error', 'critical'] as const) {
      jest.spyOn(logger, level).mockImplementation((...[message, fields]: unknown[]) => {
        lines.push([String(message), fields]);
      });
    }
    return lines;
  }

  it('runs the good lines of a JSON Lines manifest and says what is wrong with each bad one', async () => {
    // Prepare
    const lines = [
      '{"imageKey": "img_v3_02ab_manifest_1"}',
      '',
      '{"imageKey": "img_v3_02ab_manifest_2", "expiresIn": 600',
      '{"imageKey": "not an image key"}',
      '{"imageKey": "err-234005"}',
      '{"imageKey": "img_v3_02ab_manifest_3", "expiresIn": 600}',
    ];
    const event = await dropManifest(
      's3/im-jsonl-manifest-created.json',
      'requests/im/chat export 2026-11-21.jsonl',
      `${lines.join('\n')}\n`,
    );

    // Act
    const answer = await imImage(event, lambdaContext());

    // Assess
    const written = await results('results/im/chat export 2026-11-21.json');
    expect(answer).toEqual({
      manifests: [
        {
          manifest: 'requests/im/chat export 2026-11-21.jsonl',
          results: 'results/im/chat export 2026-11-21.json',
          succeeded: 2,
          failed: 3,
        },
      ],
    });
    expect(written).toMatchObject({ succeeded: 2, failed: 3 });
    expect(written.results).toHaveLength(5);
    expect(answerOf(written.results[0]).source).toEqual({ imageKey: 'img_v3_02ab_manifest_1' });
    expect(errorOf(written.results[1]!)).toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'line 3: not valid JSON; each line must hold one payload',
    });
    expect(errorOf(written.results[2]!)).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/^line 4: imageKey may hold only/),
    });
    expect(errorOf(written.results[3]!)).toMatchObject({ code: 'NOT_FOUND' });
    expect((await fetch(answerOf(written.results[4]).url)).status).toBe(200);
    expect(await env.exists('feishu/im/img_v3_02ab_manifest_3')).toBe(true);
  });

  it('runs a JSON batch manifest in a sub-folder and answers beside it under results/', async () => {
    // Prepare
    const batch = {
      items: [{ whiteboardId: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg' }, { whiteboardId: 'Xk2PqrTCKhv1bxbxNXAcSWlAbCd' }],
      refresh: true,
    };
    const event = await dropManifest(
      's3/whiteboard-json-manifest-created.json',
      'requests/whiteboard/nightly/boards.json',
      JSON.stringify(batch),
    );

    // Act
    await whiteboardImage(event, lambdaContext());

    // Assess
    const written = await results('results/whiteboard/nightly/boards.json');
    expect(written).toMatchObject({ succeeded: 2, failed: 0 });
    expect(written.results.map((result) => answerOf(result).source.whiteboardId)).toEqual([
      'Vd7LwaTCKhv1bxbxNXAcSWlInFg',
      'Xk2PqrTCKhv1bxbxNXAcSWlAbCd',
    ]);
  });

  it.each([
    ['{"items": [', 'the manifest is not valid JSON'],
    [
      '[{"whiteboardId": "Vd7LwaTCKhv1bxbxNXAcSWlInFg"}]',
      'a .json manifest must be a batch, {"items": [...]}, not an array',
    ],
    ['{"items": {}}', 'items must be an array of payloads, not an object'],
  ])(
    'answers the unusable JSON manifest %j with a results file saying why, and calls nobody',
    async (body, message) => {
      // Prepare
      const event = await dropManifest(
        's3/whiteboard-json-manifest-created.json',
        'requests/whiteboard/broken.json',
        body,
      );

      // Act
      await whiteboardImage(event, lambdaContext());

      // Assess
      expect(await results('results/whiteboard/broken.json')).toEqual({
        error: { code: 'INVALID_REQUEST', message: expect.stringContaining(message), retryable: false },
        results: [],
        succeeded: 0,
        failed: 0,
      });
      expect(env.feishu.count()).toBe(0);
    },
  );

  it('refuses a manifest over MANIFEST_MAX_BYTES in its results file', async () => {
    // Prepare
    env.setEnv({ MANIFEST_MAX_BYTES: '64' });
    const lines = Array.from({ length: 10 }, (_, i) => `{"imageKey": "img_v3_02ab_big_${i}"}`).join('\n');
    const event = await dropManifest('s3/im-jsonl-manifest-created.json', 'requests/im/too-big.jsonl', lines);

    // Act
    await imImage(event, lambdaContext());

    // Assess
    expect((await results('results/im/too-big.json')).error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('over MANIFEST_MAX_BYTES (64)'),
    });
    expect(env.feishu.count()).toBe(0);
  });

  it('runs a manifest of more lines than BATCH_MAX_ITEMS: its answer goes to S3, not back through Lambda', async () => {
    // Prepare
    env.setEnv({ BATCH_MAX_ITEMS: '3' });
    const lines = Array.from({ length: 5 }, (_, i) => `{"imageKey": "img_v3_02ab_over_${i}"}`).join('\n');
    const event = await dropManifest('s3/im-jsonl-manifest-created.json', 'requests/im/over-batch-limit.jsonl', lines);

    // Act
    await imImage(event, lambdaContext());

    // Assess
    env.setEnv({ BATCH_MAX_ITEMS: undefined });
    expect(await results('results/im/over-batch-limit.json')).toMatchObject({ succeeded: 5, failed: 0 });
  });

  it.each([['results/im/earlier.json'], ['requests/whiteboard/not-for-im.jsonl'], ['requests/im/']])(
    'writes nothing for %s, which is no manifest of this function',
    async (key) => {
      // Prepare
      const event = await dropManifest('s3/im-jsonl-manifest-created.json', key, '{"imageKey": "img_v3_02ab_skipped"}');
      const before = await env.keys();

      // Act
      const answer = await imImage(event, lambdaContext());

      // Assess
      expect(answer).toMatchObject({
        manifests: [{ manifest: key, succeeded: 0, failed: 0, skipped: expect.stringContaining('requests/im/<name>') }],
      });
      expect(await env.keys()).toEqual(before);
      expect(env.feishu.count()).toBe(0);
    },
  );

  it('leaves manifests under requests/im/state-machine/ to the state machine, which runs them', async () => {
    // Prepare
    const key = 'requests/im/state-machine/wiki-export.jsonl';
    const event = await dropManifest(
      's3/im-jsonl-manifest-created.json',
      key,
      '{"imageKey": "img_v3_02ab_8f2d1c0e6b"}',
    );
    const before = await env.keys();

    // Act
    const answer = await imImage(event, lambdaContext());

    // Assess
    expect(answer).toEqual({
      manifests: [
        {
          manifest: key,
          succeeded: 0,
          failed: 0,
          skipped: 'a manifest for the state machine (requests/im/state-machine/), which runs it when started',
        },
      ],
    });
    expect(await env.keys()).toEqual(before);
    expect(env.feishu.count()).toBe(0);
  });

  describe('records refused before anything is read or written', () => {
    /** The notification S3 sends for a key, without putting an object there (s3rver itself folds dot segments). */
    function notificationFor(
      key: string,
      change: (record: S3Event['Records'][number]) => void = () => undefined,
    ): S3Event {
      const event = loadEvent<S3Event>('s3/im-jsonl-manifest-created.json');
      event.Records[0]!.s3.object.key = encodeURIComponent(key).replace(/%2F/g, '/');
      change(event.Records[0]!);
      return event;
    }

    it.each([
      ['climbs into the image prefix', 'requests/im/../../feishu/im/x.jsonl'],
      ['climbs into another bucket (path-style)', 'requests/im/../../../other-bucket/x.jsonl'],
      ['holds a . segment', 'requests/im/./x.jsonl'],
      ['holds an empty segment', 'requests/im//x.jsonl'],
    ])('refuses a manifest key that %s, with no S3 request at all', async (_, key) => {
      // Prepare
      await env.client.send(
        new PutObjectCommand({
          Bucket: env.bucket,
          Key: 'feishu/im/x.jsonl',
          Body: '{"imageKey": "img_v3_02ab_decoy"}',
        }),
      );
      const sent = countS3Commands(containerClients().s3(true));

      // Act
      const answer = await imImage(notificationFor(key), lambdaContext());

      // Assess
      expect(answer).toEqual({
        manifests: [{ manifest: key, succeeded: 0, failed: 0, skipped: "the key holds an empty, '.' or '..' segment" }],
      });
      expect(sent).toEqual([]);
      expect(await env.exists('feishu/im/x.json')).toBe(false);
      expect(env.feishu.count()).toBe(0);
    });

    it("refuses a record naming another bucket than the function's own", async () => {
      // Prepare
      const event = notificationFor('requests/im/elsewhere.jsonl', (record) => {
        record.s3.bucket = {
          name: 'someone-elses-bucket',
          ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
          arn: 'arn:aws:s3:::someone-elses-bucket',
        };
      });
      const sent = countS3Commands(containerClients().s3(true));

      // Act
      const answer = await imImage(event, lambdaContext());

      // Assess
      expect(answer).toMatchObject({
        manifests: [
          {
            succeeded: 0,
            failed: 0,
            skipped: "the record names another bucket than the function's own (IMAGE_BUCKET)",
          },
        ],
      });
      expect(sent).toEqual([]);
    });

    it(
      'refuses a malformed record and a key of broken percent-encoding alone, ' +
        'running the good manifest beside them',
      async () => {
        // Prepare
        const event = await dropManifest(
          's3/im-jsonl-manifest-created.json',
          'requests/im/good.jsonl',
          '{"imageKey": "img_v3_02ab_beside_bad"}\n',
        );
        const good = event.Records[0]!;
        const broken = structuredClone(good);
        broken.s3.object.key = 'requests/im/%E0%A4%A.jsonl';
        const noS3 = { ...structuredClone(good), s3: undefined } as unknown as S3Event['Records'][number];
        event.Records = [noS3, broken, good];

        // Act
        const answer = await imImage(event, lambdaContext());

        // Assess
        expect(answer).toEqual({
          manifests: [
            { manifest: '', succeeded: 0, failed: 0, skipped: expect.stringContaining('no S3 notification record') },
            {
              manifest: 'requests/im/%E0%A4%A.jsonl',
              succeeded: 0,
              failed: 0,
              skipped: 'the key in the record is not valid percent-encoding',
            },
            { manifest: 'requests/im/good.jsonl', results: 'results/im/good.json', succeeded: 1, failed: 0 },
          ],
        });
        expect(await results('results/im/good.json')).toMatchObject({ succeeded: 1 });
      },
    );

    it(
      'finishes the other manifests before failing for one that S3 could not read, ' +
        'so Lambda retries the notification',
      async () => {
        // Prepare
        const event = await deletedThenReadable('readable');

        // Act
        const invocation = imImage(event, lambdaContext());

        // Assess
        await expect(invocation).rejects.toMatchObject({
          name: 'StorageError',
          retryable: true,
          message: expect.stringContaining('requests/im/readable-deleted-meanwhile.jsonl'),
        });
        expect(await results('results/im/readable.json')).toMatchObject({ succeeded: 1, failed: 0 });
      },
    );
  });

  describe("S3 notifications through SQS, raw or in SNS's envelope, run as direct ones", () => {
    /** An SQS event of the fixture's form (S3's message as the body, or in SNS's envelope) carrying S3's message. */
    function queued(fixture: string, message: unknown): SQSEvent {
      const event = loadEvent<SQSEvent>(fixture);
      const record = event.Records[0]!;
      const body = JSON.parse(record.body) as Record<string, unknown>;
      const carried = body.Type === 'Notification' ? { ...body, Message: JSON.stringify(message) } : message;
      record.body = JSON.stringify(carried);
      return event;
    }

    it.each([
      ['S3 → SQS, or SNS → SQS with raw message delivery', 'sqs/s3-notification.json', 'raw'],
      ['S3 → SNS → SQS', 'sqs/sns-s3-notification.json', 'sns'],
    ])(
      'runs the manifest of a notification queued %s, its failed items in its results and the message done',
      async (_, fixture, name) => {
        // Prepare
        const body = `{"imageKey": "img_v3_02ab_queued_${name}"}\n{"imageKey": "err-234005"}\n`;
        const notification = await dropManifest(
          's3/im-jsonl-manifest-created.json',
          `requests/im/queued ${name}.jsonl`,
          body,
        );

        // Act
        const answer = await imImage(queued(fixture, notification), lambdaContext());

        // Assess
        expect(answer).toEqual({ batchItemFailures: [] });
        const written = await results(`results/im/queued ${name}.json`);
        expect(written).toMatchObject({ succeeded: 1, failed: 1 });
        expect(errorOf(written.results[1]!)).toMatchObject({ code: 'NOT_FOUND' });
      },
    );

    it('fails the message of a queued manifest that cannot be read as a whole, whose results say why', async () => {
      // Prepare
      const notification = await dropManifest(
        's3/im-jsonl-manifest-created.json',
        'requests/im/queued.json',
        '{"items": [',
      );
      const event = queued('sqs/sns-s3-notification.json', notification);

      // Act
      const answer = await imImage(event, lambdaContext());

      // Assess
      expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] });
      expect((await results('results/im/queued.json')).error).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(env.feishu.count()).toBe(0);
    });

    it("finishes a queued notification's other manifests, then fails its message for one S3 can't read", async () => {
      // Prepare
      const event = queued('sqs/s3-notification.json', await deletedThenReadable('queued-readable'));

      // Act
      const answer = await imImage(event, lambdaContext());

      // Assess
      expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] });
      expect(await results('results/im/queued-readable.json')).toMatchObject({ succeeded: 1, failed: 0 });
    });

    it("skips a queued notification for another bucket with a direct one's reason; its message is done", async () => {
      // Prepare
      const notification = await dropManifest(
        's3/im-jsonl-manifest-created.json',
        'requests/im/queued elsewhere.jsonl',
        '{"imageKey": "img_v3_02ab_queued_elsewhere"}\n',
      );
      notification.Records[0]!.s3.bucket.name = 'someone-elses-bucket';
      const before = await env.keys();
      const lines = logLines();

      // Act
      const answer = await imImage(queued('sqs/sns-s3-notification.json', notification), lambdaContext());

      // Assess
      expect(answer).toEqual({ batchItemFailures: [] });
      expect(lines).toEqual([
        [
          'notification skipped',
          {
            manifest: 'requests/im/queued elsewhere.jsonl',
            reason: "the record names another bucket than the function's own (IMAGE_BUCKET)",
          },
        ],
      ]);
      expect(await env.keys()).toEqual(before);
    });

    it.each([['sqs/s3-test-event.json'], ['sqs/sns-s3-test-event.json']])(
      "takes S3's test event in %s as done, with nothing read or written and one log line",
      async (fixture) => {
        // Prepare
        const event = loadEvent<SQSEvent>(fixture);
        const before = await env.keys();
        const lines = logLines();

        // Act
        const answer = await imImage(event, lambdaContext());

        // Assess
        expect(answer).toEqual({ batchItemFailures: [] });
        expect(lines).toEqual([['S3 test event: nothing to do', { messageId: event.Records[0]!.messageId }]]);
        expect(await env.keys()).toEqual(before);
        expect(env.feishu.count()).toBe(0);
      },
    );

    it(
      'runs each message of a batch mixing a payload, notifications and a test event, ' +
        'failing only the one whose manifest cannot be read',
      async () => {
        // Prepare
        const good = await dropManifest(
          's3/im-jsonl-manifest-created.json',
          'requests/im/mixed good.jsonl',
          '{"imageKey": "img_v3_02ab_mixed_manifest"}\n',
        );
        const broken = await dropManifest('s3/im-jsonl-manifest-created.json', 'requests/im/mixed broken.json', '[');
        const failing = queued('sqs/sns-s3-notification.json', broken).Records[0]!;
        const event = loadEvent<SQSEvent>('sqs/im-messages.json');
        event.Records = [
          event.Records[0]!,
          queued('sqs/s3-notification.json', good).Records[0]!,
          failing,
          loadEvent<SQSEvent>('sqs/sns-s3-test-event.json').Records[0]!,
        ];

        // Act
        const answer = await imImage(event, lambdaContext());

        // Assess
        expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: failing.messageId }] });
        expect(await env.exists('feishu/im/img_v3_02ab_sqs_payload')).toBe(true);
        expect(await results('results/im/mixed good.json')).toMatchObject({ succeeded: 1, failed: 0 });
        expect((await results('results/im/mixed broken.json')).error).toMatchObject({ code: 'INVALID_REQUEST' });
      },
    );
  });

  describe("EventBridge's S3 events, run as direct notifications", () => {
    /** EventBridge's "Object Created" event for a key, which it holds as S3 does, not URL-encoded. */
    function objectCreated(key: string): S3ObjectCreatedNotificationEvent {
      const event = loadEvent<S3ObjectCreatedNotificationEvent>('eventbridge/s3-object-created.json');
      event.detail.object.key = key;
      return event;
    }

    it('runs the manifest of EventBridge\'s S3 event "Object Created", taking its key as S3 holds it', async () => {
      // Prepare
      const key = 'requests/im/bridged c++ 100%.jsonl';
      await env.client.send(
        new PutObjectCommand({ Bucket: env.bucket, Key: key, Body: '{"imageKey": "img_v3_02ab_bridged"}\n' }),
      );

      // Act
      const answer = await imImage(objectCreated(key), lambdaContext());

      // Assess
      expect(answer).toEqual({
        manifests: [{ manifest: key, results: 'results/im/bridged c++ 100%.json', succeeded: 1, failed: 0 }],
      });
      expect(await results('results/im/bridged c++ 100%.json')).toMatchObject({ succeeded: 1, failed: 0 });
    });

    it.each([
      ['names another bucket', 'requests/im/bridged elsewhere.jsonl', 'someone-elses-bucket'],
      ['is outside requests/im/', 'requests/whiteboard/bridged.jsonl', undefined],
      ["is in the state machine's folder", 'requests/im/state-machine/bridged.jsonl', undefined],
    ])(
      "skips EventBridge's S3 event that %s, logging the reason a direct notification gets",
      async (_, key, bucket) => {
        // Prepare
        const event = objectCreated(key);
        // The same object as S3 notifies it directly, its key URL-encoded.
        const direct = loadEvent<S3Event>('s3/im-jsonl-manifest-created.json');
        direct.Records[0]!.s3.object.key = encodeURIComponent(key).replace(/%2F/g, '/');
        if (bucket !== undefined) {
          event.detail.bucket.name = bucket;
          direct.Records[0]!.s3.bucket.name = bucket;
        }
        const directly = ((await imImage(direct, lambdaContext())) as ManifestsAnswer).manifests[0]!;
        const lines = logLines();

        // Act
        const answer = await imImage(event, lambdaContext());

        // Assess
        expect(answer).toEqual({ manifests: [directly] });
        expect(directly.skipped).toBeDefined();
        expect(lines).toEqual([['notification skipped', { manifest: key, reason: directly.skipped }]]);
        expect(env.feishu.count()).toBe(0);
      },
    );

    it("fails when S3 cannot read the manifest EventBridge's event names, so that Lambda retries it", async () => {
      // Act
      const invocation = imImage(objectCreated('requests/im/bridged but deleted.jsonl'), lambdaContext());

      // Assess
      await expect(invocation).rejects.toMatchObject({
        name: 'StorageError',
        retryable: true,
        message: expect.stringContaining('requests/im/bridged but deleted.jsonl'),
      });
    });
  });
});
