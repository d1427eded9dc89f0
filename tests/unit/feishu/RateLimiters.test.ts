import { clearDailyCounts, invocationRateLimiters } from '../../../lib/feishu/RateLimiters';
import { SharedRateBudget } from '../../../lib/feishu/SharedRateBudget';
import { MetricTally } from '../../../lib/metrics/MetricTally';
import { memoryCounterTable } from '../helpers/memoryCounterTable';
import { secondsUntilNextFeishuDay } from '../../../lib/feishu/feishuDay';
import { Deadline } from '../../../lib/runtime/Deadline';
import { rejectionOf } from '../helpers/thrownBy';

const APP = 'https://open.feishu.cn|cli_a1b2c3d4e5f6a7b8';
const media = { kind: 'drive-media' };

describe('Function: invocationRateLimiters', () => {
  beforeEach(() => clearDailyCounts());

  it('gives each endpoint a limiter of its own, the same one for every call of the invocation', () => {
    // Prepare
    const limiters = invocationRateLimiters({ im: { perSecond: 50 }, whiteboard: { perSecond: 10 } }, APP);

    // Act
    const im = limiters.of({ kind: 'im' });

    // Assess
    expect(limiters.of({ kind: 'im' })).toBe(im);
    expect(limiters.of({ kind: 'whiteboard' })).not.toBe(im);
  });

  it('refuses an endpoint whose limit the settings do not hold, a defect of the caller', () => {
    // Act
    const thrown = (() => {
      try {
        invocationRateLimiters({}, APP).of({ kind: 'im' });
      } catch (error) {
        return error;
      }
    })();

    // Assess
    expect(thrown).toMatchObject({ message: 'no rate limit is set for the im endpoint' });
  });

  it("answers RATE_LIMITED until the next Feishu day once the day's calls are spent, across invocations", async () => {
    // Prepare
    const limits = { 'drive-media': { perSecond: 5, perDay: 3 } };
    const first = invocationRateLimiters(limits, APP).of(media);
    for (let i = 0; i < 2; i += 1) (await first.acquire(new Deadline(5000), `drive media ${i}`))();
    const second = invocationRateLimiters(limits, APP).of(media);
    (await second.acquire(new Deadline(5000), 'drive media 2'))();

    // Act
    const error = await rejectionOf(second.acquire(new Deadline(5000), 'drive media boxcn3'));

    // Assess
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: false,
      message:
        "drive media boxcn3: the endpoint's daily quota of 3 calls is used up " +
        'until the next Feishu day (midnight UTC+8)',
    });
    expect((error as unknown as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(
      secondsUntilNextFeishuDay(Date.now()),
    );
  });

  it('sends no call before the next day once Feishu said the quota is used up', async () => {
    // Prepare
    const limiter = invocationRateLimiters({ 'drive-media': { perSecond: 5, perDay: 10_000 } }, APP).of(media);

    // Act
    limiter.quotaUsedUp();
    const error = await rejectionOf(limiter.acquire(new Deadline(5000), 'drive media boxcn4'));

    // Assess
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: false });
  });

  it('counts no day for an endpoint without a daily quota', async () => {
    // Prepare
    const limiter = invocationRateLimiters({ im: { perSecond: 50 } }, APP).of({ kind: 'im' });

    // Act
    limiter.quotaUsedUp();
    const release = await limiter.acquire(new Deadline(5000), 'im image img_v3_01');

    // Assess
    expect(typeof release).toBe('function');
  });

  it('takes a slot of the schedule every invocation shares for a call, keyed by the app and the endpoint', async () => {
    // Prepare
    const table = memoryCounterTable();
    const limiter = invocationRateLimiters({ im: { perSecond: 50 } }, APP, new SharedRateBudget(table, APP)).of({
      kind: 'im',
    });

    // Act
    const release = await limiter.acquire(new Deadline(5000), 'im image img_v3_01');
    release();

    // Assess
    expect(table.moves).toHaveLength(1);
    expect(table.moves[0]?.move.key).toBe('https://open.feishu.cn|cli_a1b2c3d4e5f6a7b8|im|pace');
  });

  it('counts a call that waited for the shared budget, and how long, under its endpoint', async () => {
    // Prepare
    const table = memoryCounterTable();
    // A table answering in 20 ms, as DynamoDB may.
    const in20Ms = <T>(answer: () => Promise<T>): Promise<T> =>
      new Promise((resolve) => setTimeout(resolve, 20)).then(answer);
    const slowTable = {
      add: (...args: Parameters<typeof table.add>) => in20Ms(() => table.add(...args)),
      move: (...args: Parameters<typeof table.move>) => in20Ms(() => table.move(...args)),
    };
    const metrics = new MetricTally();
    const limiters = invocationRateLimiters(
      { im: { perSecond: 50 } },
      APP,
      new SharedRateBudget(slowTable, APP),
      metrics,
    );

    // Act
    const release = await limiters.of({ kind: 'im' }).acquire(new Deadline(5000), 'im image img_v3_01');
    release();

    // Assess
    const [group] = metrics.groups();
    expect(group?.dimensions).toEqual({ kind: 'im' });
    expect(group?.metrics).toEqual([
      { name: 'SharedBudgetWaits', unit: 'Count', values: [1] },
      { name: 'SharedBudgetWaitTime', unit: 'Milliseconds', values: [expect.any(Number)] },
    ]);
    expect(group?.metrics[1]?.values[0]).toBeGreaterThanOrEqual(19);
  });
});
