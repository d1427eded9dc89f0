/**
 * What `act` throws, for tests that assert several things about one error; fails the test
 * when nothing is thrown, so no assertion can pass by being skipped.
 */
export function thrownBy(act: () => unknown): Error & Record<string, unknown> {
  try {
    act();
  } catch (error) {
    if (error instanceof Error) return error as Error & Record<string, unknown>;
    throw new Error(`expected an Error, got ${String(error)}`);
  }
  throw new Error('expected the call to throw, but it returned');
}

/** The same for a promise: what it rejects with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error as Error & Record<string, unknown>;
    throw new Error(`expected an Error, got ${String(error)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/**
 * What `act` throws, checked to be the product's INVALID_REQUEST as every caller sees it
 * (HTTP 400, not worth retrying), for tests that then assert what its message says.
 */
export function refusalOf(act: () => unknown): Error & Record<string, unknown> {
  const thrown = thrownBy(act);
  expect(thrown).toMatchObject({ code: 'INVALID_REQUEST', name: 'InvalidRequestError', status: 400, retryable: false });
  return thrown;
}
