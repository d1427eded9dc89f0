import { FeishuRateLimiter, type LimiterClock } from '../../../lib/feishu/FeishuRateLimiter';
import { Deadline } from '../../../lib/runtime/Deadline';

/** A clock whose sleeps pass at once, moving its time on: minutes of calls simulated in milliseconds. */
function simulatedClock(): LimiterClock & { time: number } {
  const clock = {
    time: 1_700_000_000_000,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
    },
  };
  return clock;
}

/** The most start times found in any span of `ms`. */
function busiestSpan(starts: readonly number[], ms: number): number {
  let most = 0;
  for (let first = 0, last = 0; last < starts.length; last += 1) {
    while (starts[last]! - starts[first]! >= ms) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('Class: FeishuRateLimiter', () => {
  it('keeps every span of a second and of a minute within the limits, and uses them in full', async () => {
    // Prepare
    const clock = simulatedClock();
    const limiter = new FeishuRateLimiter({ perSecond: 50, perMinute: 1000 }, clock);
    const deadline = new Deadline(10 * 60_000);
    const starts: number[] = [];

    // Act
    for (let call = 0; call < 2500; call += 1) {
      const release = await limiter.acquire(deadline, 'im image a');
      starts.push(clock.time);
      release();
    }

    // Assess
    expect(busiestSpan(starts, 1000)).toBe(50);
    expect(busiestSpan(starts, 60_000)).toBe(1000);
    // At best, calls 2,001 to 2,500 go in the third minute, 50 a second: the last at 2 min 9 s.
    const spanMs = starts[starts.length - 1]! - starts[0]!;
    const bestMs = 120_000 + 9_000;
    expect(spanMs).toBeGreaterThanOrEqual(bestMs);
    expect(spanMs).toBeLessThan(bestMs / 0.95);
  });

  it('counts a call in flight until its answer, and a second after it', async () => {
    // Prepare
    const clock = simulatedClock();
    const limiter = new FeishuRateLimiter({ perSecond: 2 }, clock);
    const deadline = new Deadline(60_000);
    const first = await limiter.acquire(deadline, 'whiteboard thumbnail a');
    const second = await limiter.acquire(deadline, 'whiteboard thumbnail b');
    const startedAt = clock.time;

    // Act
    const third = limiter.acquire(deadline, 'whiteboard thumbnail c');
    clock.time += 5000;
    first();
    const answeredAt = clock.time;
    await third;

    // Assess
    expect(clock.time - answeredAt).toBeGreaterThanOrEqual(1000);
    expect(clock.time - startedAt).toBeGreaterThanOrEqual(6000);
    second();
  });

  it('answers UPSTREAM_TIMEOUT at once when the turn would come after the deadline', async () => {
    // Prepare
    const clock = simulatedClock();
    const limiter = new FeishuRateLimiter({ perSecond: 1 }, clock);
    const deadline = new Deadline(500);
    (await limiter.acquire(deadline, 'helpdesk FAQ image f/a'))();

    // Act
    const turn = limiter.acquire(deadline, 'helpdesk FAQ image f/b');

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
        const release = await limiter.acquire(deadline, name);
        order.push(name);
        release();
      }),
    );

    // Assess
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });
});
