import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { handler as imImage } from '../../functions/imImage';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { readObjectText, writeJsonObject } from '../../lib/storage/manifestObjects';
import { containerClients } from '../../lib/clients/containerClients';
import { Deadline } from '../../lib/runtime/Deadline';
import { pngForId } from '../sandbox/feishu';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { useRgwEnvironment } from '../support/rgwEnvironment';

/**
 * What attackers tried from outside, on a real S3 gateway: keys that URL handling would fold
 * into other keys, and Feishu answers carrying bytes that break S3 requests.
 */
describe('Hostile input on Ceph RGW', () => {
  const env = useRgwEnvironment('hostile');

  const allKeys = async (): Promise<string[]> =>
    ((await env.client.send(new ListObjectsV2Command({ Bucket: env.bucket }))).Contents ?? [])
      .map((item) => item.Key ?? '')
      .sort();

  it('sends a key to S3 exactly as it is: one with a ".." segment is stored and read under that very key', async () => {
    // Prepare
    const key = 'results/im/a/../b.json';
    const client = containerClients().s3(true);
    const { signal } = new Deadline(30_000);

    // Act
    await writeJsonObject(client, env.bucket, key, { written: 'under the key as given' }, signal);
    const read = await readObjectText(client, env.bucket, key, 1024, signal);

    // Assess
    expect(JSON.parse(read)).toEqual({ written: 'under the key as given' });
    expect(await allKeys()).toContain(key);
    expect(await allKeys()).not.toContain('results/im/b.json');
  });

  it(
    'refuses a manifest whose key climbs from requests/im/ into the image prefix, ' + 'reading and writing nothing',
    async () => {
      // Prepare
      const key = 'requests/im/../../feishu/im/x.jsonl';
      await env.client.send(
        new PutObjectCommand({ Bucket: env.bucket, Key: key, Body: '{"imageKey": "img_v3_02ab_escape"}' }),
      );
      await env.client.send(
        new PutObjectCommand({
          Bucket: env.bucket,
          Key: 'feishu/im/x.jsonl',
          Body: '{"imageKey": "img_v3_02ab_decoy"}',
        }),
      );
      const event = loadEvent<S3Event>('s3/im-jsonl-manifest-created.json');
      event.Records[0]!.s3.bucket.name = env.bucket;
      event.Records[0]!.s3.object.key = encodeURIComponent(key).replace(/%2F/g, '/');
      const before = await allKeys();

      // Act
      const answer = await imImage(event, lambdaContext());

      // Assess
      expect(answer).toMatchObject({
        manifests: [{ manifest: key, skipped: "the key holds an empty, '.' or '..' segment" }],
      });
      expect(await allKeys()).toEqual(before);
      expect(env.feishu.count()).toBe(0);
    },
  );

  it(
    'stores an image whose Feishu log id holds bytes beyond ASCII, ' + 'which would break the request signature',
    async () => {
      // Prepare
      const png = pngForId('img_v3_logid_rgw');
      env.feishu.fault({
        endpoint: 'im',
        kind: {
          type: 'raw',
          status: 200,
          headers: { 'Content-Type': 'image/png', 'X-Tt-Logid': `2026112108${String.fromCharCode(0xe9, 0xa0)}A1` },
          body: png,
        },
      });

      // Act
      const answer = (await imImage({ imageKey: 'img_v3_logid_rgw' }, lambdaContext())) as MirrorAnswer;

      // Assess
      const stored = await env.object(answer.key);
      expect(stored.bytes.equals(png)).toBe(true);
      expect(stored.metadata).not.toHaveProperty('feishu-log-id');
      expect((await fetch(answer.url)).status).toBe(200);
    },
  );
});
