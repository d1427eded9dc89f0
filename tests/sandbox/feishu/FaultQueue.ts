import type { Endpoint, Fault, FaultKind } from './types';

/**
 * Faults waiting for requests, in the order queued. A fault without an endpoint matches any
 * endpoint but the token endpoint, so a test faulting "the download" does not
 * also break the token fetch before it.
 *
 * @example
 * const faults = new FaultQueue();
 * faults.add({ kind: { type: 'down' } });
 * faults.take('im'); // { type: 'down' }
 * faults.take('im'); // undefined: used up
 */
export class FaultQueue {
  readonly #queued: { endpoint: Fault['endpoint']; remaining: number; kind: FaultKind }[] = [];

  /** Queues a fault. */
  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new Error(`a fault must hit at least once, got times=${times}`);
    this.#queued.push({ endpoint: fault.endpoint, remaining: times, kind: fault.kind });
  }

  /** The first queued fault matching a request to this endpoint, used up by one. */
  take(endpoint: Endpoint): FaultKind | undefined {
    if (endpoint === 'unknown') return undefined;
    const index = this.#queued.findIndex((f) =>
      f.endpoint === undefined ? endpoint !== 'token' : f.endpoint === endpoint,
    );
    const fault = this.#queued[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#queued.splice(index, 1);
    return fault.kind;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.#queued.length = 0;
  }
}
