/**
 * GraphiQL's storage with the request headers left out (R10): the headers hold the app
 * token, and localStorage keeps whatever it is given on the machine for good, readable by
 * any script of the origin. `shouldPersistHeaders: false` keeps GraphiQL from saving the
 * headers editor and the tabs' headers, but its query history still saves each run's
 * headers; this storage drops every `headers` value from what GraphiQL writes, whichever
 * part of GraphiQL writes it.
 */

/** GraphiQL options that keep headers out of storage; app.ts spreads them into its props. */
export const HEADER_STORAGE_OPTIONS = Object.freeze({ shouldPersistHeaders: false });

/** What GraphiQL needs of a storage (the DOM Storage interface). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  clear(): void;
  key(index: number): string | null;
  readonly length: number;
}

export function headerFreeStorage(backing: StorageLike): StorageLike {
  // Headers an earlier version persisted are scrubbed once, so an old token does not linger.
  const stored: string[] = [];
  for (let i = 0; i < backing.length; i++) {
    const key = backing.key(i);
    if (key?.startsWith('graphiql:')) stored.push(key);
  }
  const storage: StorageLike = {
    getItem: (key) => backing.getItem(key),
    setItem(key, value) {
      // GraphiQL keys are prefixed (`graphiql:headers`); the headers editor's own content goes nowhere.
      if (/(^|:)headers$/.test(key)) {
        backing.removeItem(key);
        return;
      }
      backing.setItem(key, withoutHeaders(value));
    },
    removeItem: (key) => backing.removeItem(key),
    clear: () => backing.clear(),
    key: (index) => backing.key(index),
    get length() {
      return backing.length;
    },
  };
  for (const key of stored) {
    const value = backing.getItem(key);
    if (value !== null) storage.setItem(key, value);
  }
  return storage;
}

/** JSON text with every `headers` property nulled (tabs, history, favorites); other text unchanged. */
function withoutHeaders(value: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  if (parsed === null || typeof parsed !== 'object') return value;
  return JSON.stringify(parsed, (key, v: unknown) => (key === 'headers' ? null : v));
}
