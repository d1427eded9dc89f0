import type { CounterTable, ScheduleMove } from '../../../lib/clients/Clients';

/** A counter table in memory, atomic as DynamoDB's updates are, that records every update and move it was sent. */
export interface MemoryCounterTable extends CounterTable {
  items: Map<string, Record<string, number>>;
  updates: { key: string; counts: Readonly<Record<string, number>>; expiresAt: number }[];
  moves: { move: ScheduleMove; expiresAt: number; moved: boolean }[];
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
  const moves: MemoryCounterTable['moves'] = [];
  return {
    items,
    updates,
    moves,
    async add({ key, counts }, expiresAt) {
      updates.push({ key, counts, expiresAt });
      const item = items.get(key) ?? {};
      for (const [name, n] of Object.entries(counts)) item[name] = (item[name] ?? 0) + n;
      items.set(key, item);
      return Object.fromEntries(Object.keys(counts).map((name) => [name, item[name]!]));
    },
    async move(move, expiresAt) {
      const item = items.get(move.key) ?? {};
      const value = item[move.name];
      const holds =
        'by' in move ? value !== undefined && value >= move.ifAtLeast : value === undefined || value < move.ifBelow;
      moves.push({ move, expiresAt, moved: holds });
      if (!holds) return undefined;
      item[move.name] = 'by' in move ? value! + move.by : move.to;
      items.set(move.key, item);
      return item[move.name];
    },
  };
}
