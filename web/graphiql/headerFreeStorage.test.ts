import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEADER_STORAGE_OPTIONS, headerFreeStorage, type StorageLike } from './headerFreeStorage.ts';

function memoryStorage(): StorageLike & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: (k) => entries.get(k) ?? null,
    setItem: (k, v) => void entries.set(k, v),
    removeItem: (k) => void entries.delete(k),
    clear: () => entries.clear(),
    key: (i) => [...entries.keys()][i] ?? null,
    get length() {
      return entries.size;
    },
  };
}

const TOKEN = 'gga_secret-app-token';
const HEADERS = JSON.stringify({ Authorization: `Bearer ${TOKEN}`, 'X-Purpose': 'ADMINISTRATIVE_BASIS' });

describe('GraphiQL storage keeps the app token out', () => {
  it('never writes the headers editor, and nulls headers in tabs, history and favorites', () => {
    const backing = memoryStorage();
    const storage = headerFreeStorage(backing);
    storage.setItem('graphiql:headers', HEADERS);
    storage.setItem('graphiql:tabState', JSON.stringify({ tabs: [{ id: 'a', query: '{ a }', headers: HEADERS }], activeTabIndex: 0 }));
    storage.setItem('graphiql:queries', JSON.stringify({ queries: [{ query: '{ a }', variables: null, headers: HEADERS, operationName: null }] }));
    storage.setItem('graphiql:favorites', JSON.stringify({ favorites: [{ query: '{ b }', headers: HEADERS }] }));
    storage.setItem('graphiql:theme', 'dark');
    expect(backing.getItem('graphiql:headers')).toBeNull();
    for (const value of backing.entries.values()) expect(value).not.toContain(TOKEN);
    // What is not a header survives.
    expect(JSON.parse(backing.getItem('graphiql:queries')!).queries[0].query).toBe('{ a }');
    expect(JSON.parse(backing.getItem('graphiql:tabState')!).tabs[0]).toMatchObject({ id: 'a', query: '{ a }', headers: null });
    expect(backing.getItem('graphiql:theme')).toBe('dark');
  });

  it('scrubs headers an earlier version persisted', () => {
    const backing = memoryStorage();
    backing.setItem('graphiql:headers', HEADERS);
    backing.setItem('graphiql:queries', JSON.stringify({ queries: [{ query: '{ a }', headers: HEADERS }] }));
    backing.setItem('other-app', HEADERS);
    headerFreeStorage(backing);
    expect(backing.getItem('graphiql:headers')).toBeNull();
    expect(backing.getItem('graphiql:queries')).not.toContain(TOKEN);
    expect(backing.getItem('other-app')).toBe(HEADERS);
  });

  it('is what app.ts gives GraphiQL, with shouldPersistHeaders off', () => {
    expect(HEADER_STORAGE_OPTIONS.shouldPersistHeaders).toBe(false);
    const app = readFileSync(new URL('./app.ts', import.meta.url), 'utf8');
    expect(app).toMatch(/\.\.\.HEADER_STORAGE_OPTIONS/);
    expect(app).toMatch(/storage: headerFreeStorage\(endpointStorage\(window\.localStorage, config\.endpoint\)\)/);
    expect(app).not.toMatch(/shouldPersistHeaders: true/);
  });
});
