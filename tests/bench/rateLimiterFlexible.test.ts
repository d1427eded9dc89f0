import { measureRateLimiterDynamo, measureSharedRateBudget } from '../../bench/figures/rateLimiterFlexible';

// Why the shared budget is not rate-limiter-flexible's RateLimiterDynamo (docs/architecture.md,
// "What is hand-written, and why"): the same calls, timed on the clock, on dynalite.
describe("rate-limiter-flexible's RateLimiterDynamo against Feishu's fixed windows", () => {
  it("lets up to twice its limit into one of Feishu's whole seconds, the budget at most the limit", async () => {
    // Act
    const [flexible, ours] = await Promise.all([measureRateLimiterDynamo(10), measureSharedRateBudget(10)]);

    // Assess
    expect(flexible.busiestAlignedSecond).toBeGreaterThanOrEqual(15);
    expect(ours.busiestAlignedSecond).toBeLessThanOrEqual(10);
  }, 20_000);

  it('counts the calls it rejected on its item, beyond the limit', async () => {
    // Act
    const flexible = await measureRateLimiterDynamo(10);

    // Assess
    expect(flexible.countedPoints).toBe(20);
  }, 20_000);
});
