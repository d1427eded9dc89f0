/** One answered request of a load run. */
export interface Timed {
  path: string;
  status: number;
  body: string;
  ms: number;
}

/**
 * Sends GET requests for `paths`, at most `concurrency` in flight at once, and times each one.
 *
 * @example
 * const answers = await sendRequests(offline.url, paths, { 'x-api-key': key }, 200);
 */
export async function sendRequests(
  base: string,
  paths: readonly string[],
  headers: Record<string, string>,
  concurrency: number,
): Promise<Timed[]> {
  const answers: Timed[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++] ?? '';
      const started = performance.now();
      // Redirects are answers of their own (302 to the presigned URL), not to be followed.
      const response = await fetch(base + path, { headers, redirect: 'manual' });
      const body = await response.text();
      answers.push({ path, status: response.status, body, ms: performance.now() - started });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return answers;
}

/** The p-th percentile (0–100) of the values, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
