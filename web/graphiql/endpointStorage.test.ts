import { describe, expect, it } from 'vitest';
import { endpointStorage } from './endpointStorage.ts';
import type { StorageLike } from './headerFreeStorage.ts';

function memory(): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    clear: () => map.clear(),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

describe('endpointStorage', () => {
  it('keeps the admin endpoint\'s tabs apart from the data endpoint\'s', () => {
    const backing = memory();
    const data = endpointStorage(backing, '/graphql');
    const admin = endpointStorage(backing, '/admin/graphql');
    data.setItem('graphiql:query', '{ person { name } }');
    expect(admin.getItem('graphiql:query')).toBeNull();
    admin.setItem('graphiql:query', '{ me { department } }');
    expect(data.getItem('graphiql:query')).toBe('{ person { name } }');
    expect(admin.getItem('graphiql:query')).toBe('{ me { department } }');
    expect(admin.length).toBe(1);
    expect(admin.key(0)).toBe('graphiql:query');
    admin.clear();
    expect(admin.length).toBe(0);
    // Positive control: clearing the admin page's storage leaves the data page's alone.
    expect(data.getItem('graphiql:query')).toBe('{ person { name } }');
  });
});
