/** Helpers that turn one batched SQL read into DataLoader answers, in the order of the keys. */
import DataLoader from 'dataloader';

/**
 * Largest batch one loader sends as a single statement. SQLite binds at most 32,766 values
 * per statement; 1,000 keeps far below that and below PostgreSQL's 65,535.
 */
export const MAX_BATCH = 1000;

/** A loader of one record per key (null where none), from one `WHERE key IN (…)` read. */
export function recordLoader<K extends string, V>(
  read: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (value: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(
    async (keys) => {
      const byKey = new Map<K, V>();
      for (const value of await read(keys)) byKey.set(keyOf(value), value);
      return keys.map((k) => byKey.get(k) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/** A loader of all records per key (empty where none), from one `WHERE key IN (…)` read. */
export function groupLoader<K extends string, V>(
  read: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (value: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(
    async (keys) => {
      const byKey = new Map<K, V[]>();
      for (const value of await read(keys)) {
        const key = keyOf(value);
        const list = byKey.get(key);
        if (list) list.push(value);
        else byKey.set(key, [value]);
      }
      return keys.map((k) => byKey.get(k) ?? []);
    },
    { maxBatchSize: MAX_BATCH },
  );
}
