import { feishuDayOf, secondsUntilNextFeishuDay } from '../../../lib/feishu/feishuDay';

describe('Function: feishuDayOf', () => {
  it('starts a Feishu day at midnight in UTC+8, 16:00 UTC', () => {
    // Act
    const before = feishuDayOf(Date.parse('2026-12-01T15:59:59.999Z'));
    const after = feishuDayOf(Date.parse('2026-12-01T16:00:00.000Z'));

    // Assess
    expect(after).toBe(before + 1);
    expect(feishuDayOf(Date.parse('2026-12-01T00:00:00Z'))).toBe(before);
  });
});

describe('Function: secondsUntilNextFeishuDay', () => {
  it.each([
    ['2026-12-01T15:59:00Z', 60],
    ['2026-12-01T16:00:00Z', 86_400],
    ['2026-12-01T15:59:59.500Z', 1],
  ])('counts from %s to the next midnight in UTC+8: %i s', (now, seconds) => {
    // Act
    const wait = secondsUntilNextFeishuDay(Date.parse(now));

    // Assess
    expect(wait).toBe(seconds);
  });
});
