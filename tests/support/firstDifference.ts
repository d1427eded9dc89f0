/**
 * Compares two byte streams chunk by chunk, whatever their chunk sizes, without holding either
 * whole: the offset of the first byte that differs, or -1 when both are the same bytes.
 * A stream that ends early differs at its length.
 *
 * @example
 * expect(await firstDifference(stored.Body, expectedBigBody(size))).toBe(-1);
 */
export async function firstDifference(
  actual: AsyncIterable<Uint8Array>,
  expected: AsyncIterable<Uint8Array>,
): Promise<number> {
  const wanted = expected[Symbol.asyncIterator]();
  let pending = Buffer.alloc(0);
  let offset = 0;
  for await (const raw of actual) {
    let chunk = Buffer.from(raw);
    while (chunk.length > 0) {
      if (pending.length === 0) {
        const next = await wanted.next();
        if (next.done) return offset;
        pending = Buffer.from(next.value);
      }
      const n = Math.min(chunk.length, pending.length);
      const mismatch = indexOfDifference(chunk.subarray(0, n), pending.subarray(0, n));
      if (mismatch >= 0) return offset + mismatch;
      offset += n;
      chunk = chunk.subarray(n);
      pending = pending.subarray(n);
    }
  }
  if (pending.length > 0) return offset;
  const rest = await wanted.next();
  return rest.done ? -1 : offset;
}

function indexOfDifference(a: Buffer, b: Buffer): number {
  if (a.equals(b)) return -1;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return i;
  return -1;
}
