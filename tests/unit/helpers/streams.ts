/** A byte stream delivering `chunks` one by one, as fetch bodies do. */
export function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

/** `total` bytes in chunks of `chunkSize`, each byte from `byteAt(offset)`. */
export function chunked(
  total: number,
  chunkSize: number,
  byteAt: (offset: number) => number = (offset) => offset % 251,
): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = 0; start < total; start += chunkSize) {
    const chunk = Buffer.alloc(Math.min(chunkSize, total - start));
    for (let i = 0; i < chunk.length; i += 1) chunk[i] = byteAt(start + i);
    chunks.push(chunk);
  }
  return chunks;
}

/** A stream that delivers `chunks`, then breaks with `error` (a connection reset mid-body). */
export function breakingStream(chunks: Uint8Array[], error: Error): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.error(error);
      else controller.enqueue(chunk);
    },
  });
}

/** A stream that records whether its consumer cancelled it. */
export function cancellableStream(chunks: Uint8Array[]): {
  stream: ReadableStream<Uint8Array>;
  cancelled: () => boolean;
} {
  let wasCancelled = false;
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel() {
      wasCancelled = true;
    },
  });
  return { stream, cancelled: () => wasCancelled };
}
