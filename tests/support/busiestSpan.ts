/**
 * The most of the times found within any span of `ms`, wherever it starts (as a sliding window
 * counts them), in any order.
 *
 * @example
 * busiestSpan([0, 400, 999, 1000], 1000); // 3
 */
export function busiestSpan(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last += 1) {
    while (sorted[last]! - sorted[first]! >= ms) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
