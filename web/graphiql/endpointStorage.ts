/**
 * GraphiQL's storage for one endpoint: `/graphql` and `/admin/graphql` are served on the same
 * origin, so without this they share localStorage — the admin page opened with the data
 * query and tabs of the other. Each endpoint but `/graphql` (kept as it always was, so
 * existing tabs stay) keeps its keys under its own prefix (`/admin/graphql|graphiql:tabState`).
 */
import type { StorageLike } from './headerFreeStorage.ts';

export function endpointStorage(backing: StorageLike, endpoint: string): StorageLike {
  if (endpoint === '/graphql') return backing;
  const prefix = `${endpoint}|`;
  const own = (): string[] => {
    const keys: string[] = [];
    for (let i = 0; i < backing.length; i++) {
      const key = backing.key(i);
      if (key?.startsWith(prefix)) keys.push(key.slice(prefix.length));
    }
    return keys;
  };
  return {
    getItem: (key) => backing.getItem(prefix + key),
    setItem: (key, value) => backing.setItem(prefix + key, value),
    removeItem: (key) => backing.removeItem(prefix + key),
    clear: () => own().forEach((key) => backing.removeItem(prefix + key)),
    key: (index) => own()[index] ?? null,
    get length() {
      return own().length;
    },
  };
}
