// The credential lives in sessionStorage only: gone when the tab closes, never in a URL or a cookie.
const KEY = 'ledger.console.session';

/** @return {{credential: string, tenant: string} | null} */
export function load() {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY));
    return value && typeof value.credential === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function save(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clear() {
  sessionStorage.removeItem(KEY);
}
