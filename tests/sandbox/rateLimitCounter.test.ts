import { RateLimitCounter } from './feishu/RateLimitCounter';

/** 10 a second, as whiteboards. */
const SECOND = [{ ms: 1000, limit: 10 }];
/** A whole second of the clock. */
const T0 = Date.parse('2026-12-01T12:00:00.000Z');

/** Offers one call at each time and answers which were let in. */
function offer(counter: RateLimitCounter, times: readonly number[]): boolean[] {
  return times.map((time) => counter.take('whiteboard', SECOND, time).allowed);
}

/** Ten calls at 900 ms, then ten at 1,000 ms: a burst straddling two whole seconds. */
const STRADDLING = [...Array.from({ length: 10 }, () => T0 + 900), ...Array.from({ length: 10 }, () => T0 + 1000)];

describe('Class: RateLimitCounter', () => {
  it('lets in a burst straddling two whole seconds when it counts aligned windows, each within its limit', () => {
    // Act
    const allowed = offer(new RateLimitCounter('aligned'), STRADDLING);

    // Assess
    expect(allowed.filter(Boolean)).toHaveLength(20);
  });

  it('refuses the part of that burst that falls within a second of its start when it counts sliding windows', () => {
    // Act
    const allowed = offer(new RateLimitCounter('sliding'), STRADDLING);

    // Assess
    expect(allowed.filter(Boolean)).toHaveLength(10);
  });

  it('tells a refused call, in a sliding window, to come back when the oldest call has left it', () => {
    // Prepare
    const counter = new RateLimitCounter('sliding');
    offer(
      counter,
      Array.from({ length: 10 }, (_, i) => T0 + 100 * i),
    );

    // Act
    const refused = counter.take('whiteboard', SECOND, T0 + 950);
    const later = counter.take('whiteboard', SECOND, T0 + 1000);

    // Assess
    expect(refused).toEqual({ allowed: false, limit: 10, resetSeconds: 1 });
    expect(later).toEqual({ allowed: true });
  });

  it('lets a token bucket take a burst of its limit, then one call per refill', () => {
    // Act
    const allowed = offer(new RateLimitCounter('token-bucket'), [
      ...Array.from({ length: 11 }, () => T0),
      T0 + 50,
      T0 + 100,
      T0 + 150,
    ]);

    // Assess
    expect(allowed).toEqual([...Array.from({ length: 10 }, () => true), false, false, true, false]);
  });

  it('lets in calls one tenth of a second apart, the limit spread evenly, in every way of counting', () => {
    // Prepare
    const even = Array.from({ length: 100 }, (_, i) => T0 + 100 * i + 50);

    // Act
    const allowed = (['aligned', 'sliding', 'token-bucket'] as const).map((counting) =>
      offer(new RateLimitCounter(counting), even).every(Boolean),
    );

    // Assess
    expect(allowed).toEqual([true, true, true]);
  });
});
