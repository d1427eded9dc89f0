/**
 * The S3-compatible server (s3rver) in a process of its own, so that its work and memory never
 * count in a contestant's figures. Counts the requests it answers by S3 operation (for the
 * cost model) and the time it takes over each (to tell which step of a store costs).
 *
 * Usage: node s3ServerProcess.js <directory> <bucket>
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { startLocalS3 } from '../../tests/sandbox/s3/startLocalS3';
import type { S3Activity, S3ServerMessage } from './messages';

const activity: S3Activity = { requests: {}, serverMs: {} };
const arrivals = new WeakMap<IncomingMessage, { operation: string; at: number }>();

/** The S3 operation of a path-style request, told apart by method, query and headers. */
function operationOf(request: IncomingMessage): string {
  const url = new URL(request.url ?? '/', 'http://s3');
  const objectKey = url.pathname.split('/').filter(Boolean).length > 1;
  const { method } = request;
  if (method === 'HEAD') return objectKey ? 'HeadObject' : 'HeadBucket';
  if (method === 'GET') return objectKey ? 'GetObject' : 'ListObjects';
  if (method === 'DELETE') return url.searchParams.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  if (method === 'POST')
    return url.searchParams.has('uploads')
      ? 'CreateMultipartUpload'
      : url.searchParams.has('uploadId')
        ? 'CompleteMultipartUpload'
        : 'Post';
  if (method === 'PUT') {
    if (url.searchParams.has('partNumber')) return 'UploadPart';
    if (request.headers['x-amz-copy-source']) return 'CopyObject';
    return objectKey ? 'PutObject' : 'CreateBucket';
  }
  return method ?? 'Unknown';
}

subscribe('http.server.request.start', (message) => {
  const { request } = message as { request: IncomingMessage };
  const operation = operationOf(request);
  activity.requests[operation] = (activity.requests[operation] ?? 0) + 1;
  arrivals.set(request, { operation, at: performance.now() });
});
subscribe('http.server.response.finish', (message) => {
  const arrival = arrivals.get((message as { request: IncomingMessage }).request);
  if (arrival)
    activity.serverMs[arrival.operation] = (activity.serverMs[arrival.operation] ?? 0) + performance.now() - arrival.at;
});

const send = (message: S3ServerMessage): void => {
  process.send?.(message);
};

async function main(): Promise<void> {
  const [directory, bucket] = process.argv.slice(2);
  const s3 = await startLocalS3({ directory: directory ?? '.', buckets: [bucket ?? 'bench'] });
  process.on('message', (command: { type: string }) => {
    if (command.type === 'activity') send({ type: 'activity', activity: structuredClone(activity) });
    if (command.type === 'exit') void s3.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => void s3.close().then(() => process.exit(0)));
  send({ type: 'ready', endpoint: s3.endpoint });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
