/**
 * Waits `ms`, or less if the signal aborts first (the sandbox is closing): resolves `true` when
 * the time ran out, `false` when aborted. Clears its timer either way, so no timer outlives
 * `close()` and keeps the test process alive.
 *
 * @example
 * if (!(await delay(250, closing.signal))) return;
 */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
