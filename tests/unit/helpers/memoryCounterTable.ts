import type { CounterTable } from '../../../lib/clients/Clients';

/** A counter table in memory, atomic as DynamoDB's ADD is, that records every update it was sent. */
export interface MemoryCounterTable extends CounterTable {
  items: Map<string, Record<string, number>>;
  updates: { key: string; counts: Readonly<Record<string, number>>; expiresAt: number }[];
}

/**
 * The table every invocation of a unit test shares, standing in for DynamoDB behind the
 * CounterTable interface (dynamoCounterTable is tested on its own).
 *
 * @example
 * const table = memoryCounterTable();
 * const budget = new SharedRateBudget(table, APP, { clock });
 */
export function memoryCounterTable(): MemoryCounterTable {
  const items = new Map<string, Record<string, number>>();
  const updates: MemoryCounterTable['updates'] = [];
  return {
    items,
    updates,
    async add({ key, counts }, expiresAt) {
      updates.push({ key, counts, expiresAt });
      const item = items.get(key) ?? {};
      for (const [name, n] of Object.entries(counts)) item[name] = (item[name] ?? 0) + n;
      items.set(key, item);
      return Object.fromEntries(Object.keys(counts).map((name) => [name, item[name]!]));
    },
  };
}
