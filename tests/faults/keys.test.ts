import { containerClients } from '../../lib/clients/containerClients';
import { Deadline } from '../../lib/runtime/Deadline';
import { readObjectText, writeJsonObject } from '../../lib/storage/manifestObjects';
import { startRgwEnvironment, type RgwEnvironment } from '../support/rgwEnvironment';

describe('Object keys reach Ceph RGW exactly as given', () => {
  let env: RgwEnvironment;
  beforeAll(async () => {
    env = await startRgwEnvironment('keys');
  });
  afterAll(() => env?.close());

  it('stores and reads an object under a key with . and .. segments under exactly that key, never a normalised one', async () => {
    // Prepare: the functions' own S3 client, as a manifest's results are written with it.
    const client = containerClients().s3(true);
    const key = 'results/im/../im/./export.json';
    const signal = new Deadline(30_000).signal;

    // Act
    await writeJsonObject(client, env.bucket, key, { results: [], succeeded: 0, failed: 0 }, signal);
    const text = await readObjectText(client, env.bucket, key, 1024, signal);

    // Assess
    expect(await env.keys()).toEqual([key]);
    expect(JSON.parse(text)).toEqual({ results: [], succeeded: 0, failed: 0 });
    expect(await env.exists('results/im/export.json')).toBe(false);
  });
});
