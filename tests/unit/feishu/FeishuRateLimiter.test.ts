import { FeishuRateLimiter, type LimiterClock, paceOf } from '../../../lib/feishu/FeishuRateLimiter';
import { Deadline } from '../../../lib/runtime/Deadline';
import { busiestSpan } from '../../support/busiestSpan';

/** A clock whose sleeps pass at once, moving its time on: minutes of calls simulated in milliseconds. */
function simulatedClock(): LimiterClock & { time: number; lateBy: number } {
  const clock = {
    time: 1_700_000_000_000,
    /** How much later than asked the next sleep ends, as a busy event loop's timer would. */
    lateBy: 0,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms + clock.lateBy;
      clock.lateBy = 0;
    },
  };
  return clock;
}

/** Takes `calls` turns at once and answers when each was let go. */
async function sendTimes(limiter: FeishuRateLimiter, clock: { time: number }, calls: number): Promise<number[]> {
  const deadline = new Deadline(10 * 60_000);
  return Promise.all(
    Array.from({ length: calls }, (_, i) => limiter.take(deadline, `im image img_${i}`).then(() => clock.time)),
  );
}

describe('Function: paceOf', () => {
  it("spaces im's calls for its minute, which binds before its second, with a second's tolerance", () => {
    // Act
    const pace = paceOf({ perSecond: 50, perMinute: 1000 });

    // Assess
    expect(pace).toEqual({ intervalMs: 61, toleranceMs: 1000 });
  });

  it("spaces whiteboards' calls for their second, keeping 70 ms of it as tolerance", () => {
    // Act
    const pace = paceOf({ perSecond: 10 });

    // Assess
    expect(pace).toEqual({ intervalMs: 107, toleranceMs: 70 });
  });
});

describe('Class: FeishuRateLimiter', () => {
  it('lets a burst of calls go one interval apart, never all at once', async () => {
    // Prepare
    const clock = simulatedClock();
    const limiter = new FeishuRateLimiter({ perSecond: 10 }, clock);

    // Act
    const times = await sendTimes(limiter, clock, 10);

    // Assess
    const gaps = times.slice(1).map((time, i) => time - times[i]!);
    expect(gaps).toEqual(Array.from({ length: 9 }, () => 107));
  });

  it('keeps every span of a second and of a minute within the limits, the busiest minute at 95 %', async () => {
    // Prepare
    const clock = simulatedClock();
    const limiter = new FeishuRateLimiter({ perSecond: 50, perMinute: 1000 }, clock);

    // Act
    const times = await sendTimes(limiter, clock, 2500);

    // Assess
    expect(busiestSpan(times, 1000)).toBeLessThanOrEqual(50);
    expect(busiestSpan(times, 60_000)).toBeLessThanOrEqual(1000);
    expect(busiestSpan(times, 60_000)).toBeGreaterThanOrEqual(950);
  });

  it('counts the interval from when a call actually left, so a late timer brings no two calls closer', async () => {
    // Prepare
    const clock = simulatedClock();
    const limiter = new FeishuRateLimiter({ perSecond: 10 }, clock);
    const deadline = new Deadline(60_000);
    await limiter.take(deadline, 'whiteboard thumbnail a');
    const firstAt = clock.time;
    clock.lateBy = 80;

    // Act
    await limiter.take(deadline, 'whiteboard thumbnail b');
    const secondAt = clock.time;
    await limiter.take(deadline, 'whiteboard thumbnail c');

    // Assess
    expect(secondAt - firstAt).toBe(187);
    expect(clock.time - secondAt).toBe(107);
  });

  it('lets no call go before the time it was told', async () => {
    // Prepare
    const clock = simulatedClock();
    const limiter = new FeishuRateLimiter({ perSecond: 10 }, clock);
    const start = clock.time;

    // Act
    limiter.notBefore(start + 400);
    await limiter.take(new Deadline(60_000), 'whiteboard thumbnail a');

    // Assess
    expect(clock.time).toBe(start + 400);
  });

  it('answers UPSTREAM_TIMEOUT at once when the turn would come after the deadline', async () => {
    // Prepare
    const clock = simulatedClock();
    const limiter = new FeishuRateLimiter({ perSecond: 1 }, clock);
    const deadline = new Deadline(500);
    await limiter.take(deadline, 'helpdesk FAQ image f/a');

    // Act
    const turn = limiter.take(deadline, 'helpdesk FAQ image f/b');

    // Assess
    await expect(turn).rejects.toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      retryable: true,
      message: expect.stringContaining('helpdesk FAQ image f/b: not started'),
    });
    expect(clock.time).toBeLessThan(1_700_000_000_000 + 500);
  });

  it('serves callers in the order they came', async () => {
    // Prepare
    const clock = simulatedClock();
    const limiter = new FeishuRateLimiter({ perSecond: 1 }, clock);
    const deadline = new Deadline(60_000);
    const order: string[] = [];

    // Act
    await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (name) => {
        await limiter.take(deadline, name);
        order.push(name);
      }),
    );

    // Assess
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });
});
