import { createHash } from 'node:crypto';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import { MAX_ATTEMPTS } from '../../lib/feishu/retryPolicy';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import type { Endpoint, Fault } from '../sandbox/feishu';
import { recordFigures } from '../support/figures';
import { lambdaContext } from '../support/lambdaContext';
import { useRgwEnvironment, type RgwEnvironment } from '../support/rgwEnvironment';

const MiB = 1024 * 1024;

/** What a fault must leave under the image's key on RGW. */
type Leaves = 'the new image' | 'nothing' | 'the previous image, untouched';

/** One row of the fault matrix: the fault, the answer it must get, what it must leave in S3. */
interface FaultCase {
  fault: string;
  /**
   * The whiteboard id asked for: sandbox ids choose some answers
   * (`err-http-502`, `json200`, `big-<N>`, `slow-<ms>`).
   */
  id: string;
  /** Faults queued on the sandbox before the invocation. */
  faults?: Fault[];
  /** Time the invocation has left; default 60 s. */
  remainingMs?: number;
  /** The answer: an error's fields, or `stored` for a successful one. */
  answer: 'stored' | Record<string, unknown>;
  /** Calls the sandbox must have seen, by endpoint, during the faulted invocation. */
  calls?: Partial<Record<Endpoint, number>>;
  /** Whether a good copy is stored first (for the "previous image" rows). */
  previous?: boolean;
  /** Whether Feishu revokes the token the container holds, after the good copy and before the invocation. */
  revokeTokens?: boolean;
  leaves: Leaves;
}

const upstreamError = { name: 'UpstreamError', code: 'UPSTREAM_ERROR', status: 502 };
const brokenBody = { ...upstreamError, retryable: true };

/**
 * The fault matrix (docs/testing.md), on the whiteboard function
 * (fetched on every call, never answered from the cache).
 */
const MATRIX: FaultCase[] = [
  ...[500, 502, 503].map(
    (status): FaultCase => ({
      fault: `Feishu answers ${status} once, then fine`,
      id: `wb_once_${status}`,
      faults: [{ endpoint: 'whiteboard', kind: { type: 'status', status } }],
      answer: 'stored',
      calls: { whiteboard: 2 },
      leaves: 'the new image',
    }),
  ),
  ...[500, 502, 503].map(
    (status): FaultCase => ({
      fault: `Feishu always answers ${status}`,
      id: `err-http-${status}`,
      answer: { ...upstreamError, retryable: true },
      calls: { whiteboard: MAX_ATTEMPTS },
      leaves: 'nothing',
    }),
  ),
  {
    fault: 'Feishu always answers 503, over a stored image',
    id: 'wb_always_503',
    previous: true,
    faults: [{ endpoint: 'whiteboard', times: Infinity, kind: { type: 'status', status: 503 } }],
    answer: { ...upstreamError, retryable: true },
    calls: { whiteboard: MAX_ATTEMPTS },
    leaves: 'the previous image, untouched',
  },
  {
    fault: '429 with x-ogw-ratelimit-reset: 1',
    id: 'wb_429',
    faults: [{ endpoint: 'whiteboard', kind: { type: 'rateLimit', resetSeconds: 1 } }],
    answer: 'stored',
    calls: { whiteboard: 2 },
    leaves: 'the new image',
  },
  {
    fault: '400 with 99991400 and x-ogw-ratelimit-reset: 1',
    id: 'wb_400_99991400',
    faults: [{ endpoint: 'whiteboard', kind: { type: 'rateLimit', resetSeconds: 1, status: 400, code: 99991400 } }],
    answer: 'stored',
    calls: { whiteboard: 2 },
    leaves: 'the new image',
  },
  {
    fault: '429 whose reset does not fit in the time left',
    id: 'wb_429_late',
    remainingMs: 5_000,
    faults: [{ endpoint: 'whiteboard', kind: { type: 'rateLimit', resetSeconds: 30 } }],
    answer: { name: 'RateLimitedError', code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 30 },
    calls: { whiteboard: 1 },
    leaves: 'nothing',
  },
  {
    fault: 'the connection drops mid-body (small image)',
    id: 'wb_drop_small',
    previous: true,
    faults: [{ endpoint: 'whiteboard', kind: { type: 'dropMidBody', afterBytes: 100 } }],
    answer: brokenBody,
    calls: { whiteboard: 1 },
    leaves: 'the previous image, untouched',
  },
  {
    fault: 'the connection drops mid-body (40 MiB image, one streamed PUT)',
    id: `big-${40 * MiB}`,
    previous: true,
    faults: [{ endpoint: 'whiteboard', kind: { type: 'dropMidBody', afterBytes: 20 * MiB } }],
    answer: brokenBody,
    calls: { whiteboard: 1 },
    leaves: 'the previous image, untouched',
  },
  {
    fault: 'the connection drops mid-body (40 MiB image of unknown length, multipart)',
    id: `bigchunked-${40 * MiB}`,
    previous: true,
    faults: [{ endpoint: 'whiteboard', kind: { type: 'dropMidBody', afterBytes: 20 * MiB } }],
    answer: brokenBody,
    calls: { whiteboard: 1 },
    leaves: 'the previous image, untouched',
  },
  {
    fault: 'the body is shorter than its Content-Length',
    id: 'wb_short',
    previous: true,
    faults: [{ endpoint: 'whiteboard', kind: { type: 'shortBody', bytes: 200 } }],
    answer: brokenBody,
    calls: { whiteboard: 1 },
    leaves: 'the previous image, untouched',
  },
  {
    fault: 'the body is shorter than its Content-Length (12 MiB image, one streamed PUT)',
    id: `big-${12 * MiB}`,
    previous: true,
    faults: [{ endpoint: 'whiteboard', kind: { type: 'shortBody', bytes: 11 * MiB } }],
    answer: brokenBody,
    calls: { whiteboard: 1 },
    leaves: 'the previous image, untouched',
  },
  {
    fault: 'Feishu hangs',
    id: 'wb_hang',
    remainingMs: 3_000,
    faults: [{ endpoint: 'whiteboard', times: Infinity, kind: { type: 'hang' } }],
    answer: { name: 'UpstreamTimeoutError', code: 'UPSTREAM_TIMEOUT', status: 504, retryable: true },
    leaves: 'nothing',
  },
  {
    fault: 'Feishu answers too slowly for the time left',
    id: 'slow-10000',
    remainingMs: 2_500,
    answer: { name: 'UpstreamTimeoutError', code: 'UPSTREAM_TIMEOUT' },
    leaves: 'nothing',
  },
  {
    fault: 'the token is revoked between calls',
    id: 'wb_revoked',
    previous: true,
    revokeTokens: true,
    answer: 'stored',
    calls: { token: 1, whiteboard: 2 },
    leaves: 'the new image',
  },
  {
    fault: 'a fresh token is rejected too (99991663 twice)',
    id: 'wb_rejected_twice',
    faults: [
      {
        endpoint: 'whiteboard',
        times: 2,
        kind: { type: 'status', status: 400, code: 99991663, msg: 'Invalid access token for authorization' },
      },
    ],
    answer: { name: 'MisconfiguredError', code: 'MISCONFIGURED', feishuCode: 99991663 },
    calls: { token: 2, whiteboard: 2 },
    leaves: 'nothing',
  },
  {
    fault: 'the token endpoint answers code 10014',
    id: 'wb_token_code',
    faults: [{ endpoint: 'token', kind: { type: 'tokenError', code: 10014, msg: 'app secret invalid' } }],
    answer: { name: 'MisconfiguredError', code: 'MISCONFIGURED', feishuCode: 10014 },
    calls: { token: 1, whiteboard: 0 },
    leaves: 'nothing',
  },
  {
    fault: 'the token endpoint is down',
    id: 'wb_token_down',
    faults: [{ endpoint: 'token', times: Infinity, kind: { type: 'down' } }],
    answer: { ...upstreamError, retryable: true },
    calls: { whiteboard: 0 },
    leaves: 'nothing',
  },
  ...['json200', 'html200', 'empty200'].map(
    (id): FaultCase => ({
      fault: `a 200 whose body is not an image (${id})`,
      id,
      answer: { ...upstreamError, message: expect.stringContaining('instead of an image') },
      leaves: 'nothing',
    }),
  ),
];

describe('The fault matrix, against the Feishu sandbox and Ceph RGW', () => {
  const env = useRgwEnvironment('feishufaults', { env: { MAX_IMAGE_BYTES: String(64 * MiB) } });
  let survived = 0;
  afterAll(() => recordFigures('feishu-faults', { tried: MATRIX.length, survived }));

  it.each(MATRIX.map((row) => [row.fault, row] as const))('%s', async (_, row) => {
    // Prepare
    const key = `feishu/whiteboard/${row.id}`;
    const before = row.previous ? await storeGoodCopy(env, row.id) : undefined;
    if (row.revokeTokens) env.feishu.revokeTenantTokens();
    for (const fault of row.faults ?? []) env.feishu.fault(fault);
    const callsBefore = (endpoint: Endpoint) =>
      env.feishu.requests.filter((request) => request.endpoint === endpoint).length;
    const baseline = Object.fromEntries(
      Object.keys(row.calls ?? {}).map((endpoint) => [endpoint, callsBefore(endpoint as Endpoint)]),
    );
    const context = lambdaContext(row.remainingMs ?? 60_000);

    // Act
    const outcome = await whiteboardImage({ whiteboardId: row.id }, context).then(
      (answer) => ({ answer: answer as MirrorAnswer }),
      (error: unknown) => ({ error }),
    );

    // Assess
    if (row.answer === 'stored') expect(outcome).toMatchObject({ answer: { key, cached: false } });
    else expect(outcome).toMatchObject({ error: row.answer });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    for (const [endpoint, count] of Object.entries(row.calls ?? {}))
      expect([endpoint, env.feishu.count(endpoint as Endpoint) - (baseline[endpoint] ?? 0)]).toEqual([endpoint, count]);
    if (row.leaves === 'nothing') expect(await env.exists(key)).toBe(false);
    if (row.leaves === 'the new image')
      expect(sha256((await env.object(key)).bytes)).toBe((outcome as { answer: MirrorAnswer }).answer.sha256);
    if (row.leaves === 'the previous image, untouched' && before) {
      const after = await env.object(key);
      expect(after.bytes.equals(before.bytes)).toBe(true);
      expect(after.metadata).toEqual(before.metadata);
    }
    expect(await env.uploads()).toEqual([]);
    survived += 1;
  });

  it('tries the token again on the next invocation after the token endpoint failed', async () => {
    // Prepare
    env.feishu.fault({ endpoint: 'token', kind: { type: 'tokenError', code: 10014, msg: 'app secret invalid' } });
    await expect(whiteboardImage({ whiteboardId: 'wb_token_again' }, lambdaContext())).rejects.toMatchObject({
      name: 'MisconfiguredError',
    });

    // Act
    const next = await whiteboardImage({ whiteboardId: 'wb_token_again' }, lambdaContext());

    // Assess
    expect(next).toMatchObject({ kind: 'whiteboard', cached: false });
    expect(env.feishu.count('token')).toBe(2);
  });
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Stores a good copy of the image (the sandbox unfaulted) and returns its bytes and metadata. */
async function storeGoodCopy(
  env: RgwEnvironment,
  id: string,
): Promise<{ bytes: Buffer; metadata: Record<string, string> }> {
  const answer = (await whiteboardImage({ whiteboardId: id }, lambdaContext())) as MirrorAnswer;
  const stored = await env.object(answer.key);
  return { bytes: stored.bytes, metadata: stored.metadata };
}
