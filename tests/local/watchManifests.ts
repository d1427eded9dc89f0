/**
 * serverless-offline delivers no S3 notifications, so `npm start` stands in for S3: it polls
 * the local bucket's requests/ prefix and, for each manifest that appears or changes, invokes
 * the function of that kind through serverless-offline's Lambda Invoke API with the event S3
 * would send. The function itself then reads the manifest and writes results/ as deployed.
 */
import { ENDPOINTS } from '../../lib/endpoints';
import { MANIFEST_PREFIX } from '../../lib/request/readManifestRecord';

/** Where to look and whom to call. */
export interface ManifestWatch {
  /** The local S3 server, which answers unsigned requests. */
  s3Endpoint: string;
  bucket: string;
  /** serverless-offline's Lambda port, and the deployed name prefix (`{service}-{stage}-`). */
  lambdaPort: number;
  functionPrefix: string;
  log(line: string): void;
}

interface Listed {
  key: string;
  etag: string;
  size: number;
  /** The ETag and time of the last write: the same manifest written again is run again. */
  version: string;
}

/** Starts polling every second; returns a function that stops it. */
export async function watchManifests(watch: ManifestWatch): Promise<() => void> {
  // Manifests already there were answered in an earlier run.
  const seen = new Map((await listManifests(watch)).map((object) => [object.key, object.version]));
  let stopped = false;
  const poll = async (): Promise<void> => {
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      try {
        for (const object of await listManifests(watch)) {
          if (seen.get(object.key) === object.version) continue;
          seen.set(object.key, object.version);
          await invokeFor(watch, object);
        }
      } catch (error) {
        watch.log(`manifest watch: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  void poll();
  return () => {
    stopped = true;
  };
}

async function listManifests(watch: ManifestWatch): Promise<Listed[]> {
  const response = await fetch(`${watch.s3Endpoint}/${watch.bucket}?list-type=2&prefix=${MANIFEST_PREFIX}`);
  if (!response.ok) throw new Error(`listing ${MANIFEST_PREFIX} answered ${response.status}`);
  const xml = await response.text();
  const field = (item: string, name: string): string =>
    new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(item)?.[1] ?? '';
  return [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map(([, item = '']) => ({
    key: decodeXml(field(item, 'Key')),
    etag: field(item, 'ETag'),
    size: Number(field(item, 'Size')),
    version: `${field(item, 'ETag')} ${field(item, 'LastModified')}`,
  }));
}

async function invokeFor(watch: ManifestWatch, object: Listed): Promise<void> {
  const kind = object.key.slice(MANIFEST_PREFIX.length).split('/')[0];
  const endpoint = ENDPOINTS.find((candidate) => candidate.kind === kind);
  if (endpoint === undefined || object.key.endsWith('/')) return;
  const functionName = `${watch.functionPrefix}${endpoint.functionName}`;
  const response = await fetch(
    `http://127.0.0.1:${watch.lambdaPort}/2015-03-31/functions/${functionName}/invocations`,
    {
      method: 'POST',
      body: JSON.stringify(s3Notification(watch.bucket, object)),
    },
  );
  const answer = (await response.json()) as { manifests?: { results?: string; succeeded: number; failed: number }[] };
  const done = answer.manifests?.[0];
  watch.log(
    done?.results
      ? `manifest ${object.key} → ${done.results} (${done.succeeded} succeeded, ${done.failed} failed)`
      : `manifest ${object.key}: ${functionName} answered ${JSON.stringify(answer).slice(0, 300)}`,
  );
}

/** The notification S3 sends for a created object (event version 2.1), key URL-encoded as S3 does. */
function s3Notification(bucket: string, object: Listed): unknown {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: process.env.AWS_REGION ?? 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'npm-start',
          bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeURIComponent(object.key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            size: object.size,
            eTag: object.etag.replace(/"|&quot;/g, ''),
            sequencer: Date.now().toString(16),
          },
        },
      },
    ],
  };
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
