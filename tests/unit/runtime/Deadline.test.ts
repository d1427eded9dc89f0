import { Deadline } from '../../../lib/runtime/Deadline';

describe('Class: Deadline', () => {
  it.each([
    [60_000, 57_000],
    [10_000, 9_000],
    [3_000, 2_500],
    [400, 0],
  ])('keeps a reserve of 10 %% (0.5 s to 3 s) from %i ms left, leaving about %i ms', (remaining, budget) => {
    // Act
    const deadline = Deadline.fromContext({ getRemainingTimeInMillis: () => remaining });

    // Assess
    expect(deadline.remainingMs()).toBeLessThanOrEqual(budget);
    expect(deadline.remainingMs()).toBeGreaterThanOrEqual(Math.max(0, budget - 50));
  });

  it.each([9_999, 28_437, 1_001])(
    'accepts any whole number of milliseconds left, such as %i (a fractional reserve)',
    (remaining) => {
      // Act
      const deadline = Deadline.fromContext({ getRemainingTimeInMillis: () => remaining });

      // Assess
      expect(Number.isInteger(deadline.endsAt)).toBe(true);
      expect(deadline.expired).toBe(false);
    },
  );

  it('caps the budget at the time the caller waits (API Gateway), less the reserve', () => {
    // Act
    const deadline = Deadline.fromContext({ getRemainingTimeInMillis: () => 60_000 }, 29_000);

    // Assess
    expect(deadline.remainingMs()).toBeLessThanOrEqual(26_100);
    expect(deadline.remainingMs()).toBeGreaterThan(26_000);
  });

  it('allows a minute less the reserve without a context', () => {
    // Act
    const deadline = Deadline.fromContext(undefined);

    // Assess
    expect(deadline.remainingMs()).toBeGreaterThan(56_000);
    expect(deadline.remainingMs()).toBeLessThanOrEqual(57_000);
  });

  it('allows a wait only when the work after it still fits', () => {
    // Prepare
    const deadline = new Deadline(5_000);

    // Act
    const fits = deadline.allows(1_000, 1_000);
    const doesNotFit = deadline.allows(4_500, 1_000);

    // Assess
    expect(fits).toBe(true);
    expect(doesNotFit).toBe(false);
  });

  it('never waits past its end', async () => {
    // Prepare
    const deadline = new Deadline(50);
    const started = Date.now();

    // Act
    await deadline.wait(5_000);

    // Assess
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('aborts its signal and reports itself expired once its time is up', async () => {
    // Prepare
    const deadline = new Deadline(10);

    // Act
    await new Promise((resolve) => setTimeout(resolve, 40));

    // Assess
    expect(deadline.expired).toBe(true);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.remainingMs()).toBe(0);
  });

  it('gives a deadline sooner by the time kept back for what follows, with the same reserve', () => {
    // Prepare
    const deadline = Deadline.fromContext({ getRemainingTimeInMillis: () => 20_000 });

    // Act
    const sooner = deadline.shortenedBy(4_000);

    // Assess
    expect(deadline.endsAt - sooner.endsAt).toBeGreaterThanOrEqual(3_950);
    expect(deadline.endsAt - sooner.endsAt).toBeLessThanOrEqual(4_000);
    expect(sooner.reserveMs).toBe(deadline.reserveMs);
    expect(deadline.shortenedBy(0)).toBe(deadline);
  });

  it('is not expired while time remains', () => {
    // Act
    const deadline = new Deadline(10_000);

    // Assess
    expect(deadline.expired).toBe(false);
  });
});
