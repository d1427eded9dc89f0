import { MAX_ATTEMPTS, MIN_CALL_MS, retryDelayMs, waitBeforeRetry } from '../../../lib/feishu/retryPolicy';
import { Deadline } from '../../../lib/runtime/Deadline';

const LOWEST = (): number => 0;
const HIGHEST = (): number => 0.999999;

describe('Function: retryDelayMs', () => {
  it.each([
    [1, 100, 200],
    [2, 200, 400],
    [3, 400, 800],
    [4, 800, 1600],
    [5, 1600, 3200],
    [6, 2000, 4000],
    [10, 2000, 4000],
  ])('waits between half and all of the backoff ceiling before retry %i (%i to %i ms)', (attempt, low, high) => {
    // Act
    const shortest = retryDelayMs(attempt, undefined, LOWEST);
    const longest = retryDelayMs(attempt, undefined, HIGHEST);

    // Assess
    expect(shortest).toBe(low);
    expect(longest).toBeLessThan(high);
    expect(longest).toBeGreaterThanOrEqual(high - 1);
  });

  it('spreads the waits of concurrent callers with the random draw', () => {
    // Act
    const delays = [0.1, 0.5, 0.9].map((draw) => retryDelayMs(3, undefined, () => draw));

    // Assess
    expect(delays).toEqual([440, 600, 760]);
  });

  it("honours Feishu's reset seconds, adding less than 250 ms of jitter", () => {
    // Act
    const shortest = retryDelayMs(1, 3, LOWEST);
    const longest = retryDelayMs(1, 3, HIGHEST);

    // Assess
    expect(shortest).toBe(3000);
    expect(longest).toBe(3249);
  });

  it('uses the reset seconds instead of the backoff whatever the attempt', () => {
    // Act
    const delay = retryDelayMs(6, 1, LOWEST);

    // Assess
    expect(delay).toBe(1000);
  });
});

describe('Function: waitBeforeRetry', () => {
  it('waits and answers true while attempts and time remain', async () => {
    // Prepare
    const deadline = new Deadline(10_000);
    const started = Date.now();

    // Act
    const retry = await waitBeforeRetry(1, deadline);

    // Assess
    expect(retry).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it(`refuses once ${MAX_ATTEMPTS} attempts have been made, without waiting`, async () => {
    // Prepare
    const deadline = new Deadline(60_000);
    const started = Date.now();

    // Act
    const retry = await waitBeforeRetry(MAX_ATTEMPTS, deadline);

    // Assess
    expect(retry).toBe(false);
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('refuses past MAX_ATTEMPTS too', async () => {
    // Act
    const retry = await waitBeforeRetry(MAX_ATTEMPTS + 1, new Deadline(60_000));

    // Assess
    expect(retry).toBe(false);
  });

  it('refuses, without waiting, when the wait would not leave time for another call', async () => {
    // Prepare: the first backoff is at most 200 ms, and a call needs MIN_CALL_MS after it.
    const deadline = new Deadline(MIN_CALL_MS + 100);
    const started = Date.now();

    // Act
    const retry = await waitBeforeRetry(1, deadline);

    // Assess
    expect(retry).toBe(false);
    expect(Date.now() - started).toBeLessThan(50);
  });

  it("refuses when Feishu's reset is longer than the time left", async () => {
    // Prepare
    const deadline = new Deadline(20_000);
    const started = Date.now();

    // Act
    const retry = await waitBeforeRetry(1, deadline, 30);

    // Assess
    expect(retry).toBe(false);
    expect(Date.now() - started).toBeLessThan(50);
  });
});
