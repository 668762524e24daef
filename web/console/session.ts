/**
 * Where the signed-in token is kept: sessionStorage, so it lives as long as the browser tab and
 * is not shared with other tabs or left on disk after the browser closes (unlike localStorage).
 */

const KEY = 'govgraph.console.token';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage disabled by policy: the user signs in again on reload.
    return null;
  }
}

export function storedToken(): string | null {
  return storage()?.getItem(KEY) ?? null;
}

export function storeToken(token: string): void {
  storage()?.setItem(KEY, token);
}

export function forgetToken(): void {
  storage()?.removeItem(KEY);
}
