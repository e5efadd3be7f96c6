// The console's only way to the ledger: the public /v1 API, with the signed-in credential as a bearer token.
import { el } from './dom.js';

/** A failed call, with what the ledger said: {error: {code, message, details}}. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export class Api {
  constructor(credential) {
    this.credential = credential;
  }

  /** '/v1' + path with the non-empty params as the query. */
  url(path, params = {}) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value != null && value !== '') query.set(key, value);
    }
    const q = query.toString();
    return '/v1' + path + (q ? '?' + q : '');
  }

  headers(extra = {}) {
    return { Authorization: 'Bearer ' + this.credential, ...extra };
  }

  /** @return the Response when it is 2xx; throws ApiError otherwise */
  async fetch(path, params = {}, init = {}) {
    let response;
    try {
      response = await fetch(this.url(path, params),
        { ...init, headers: this.headers(init.headers), cache: 'no-store', credentials: 'omit' });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', 'cannot reach the ledger at ' + location.origin + ': ' + e.message);
    }
    if (!response.ok) throw await failure(response);
    return response;
  }

  async get(path, params = {}) {
    const response = await this.fetch(path, params, { headers: { Accept: 'application/json' } });
    return response.json();
  }
}

async function failure(response) {
  const text = await response.text().catch(() => '');
  try {
    const e = JSON.parse(text).error;
    if (e && e.message) return new ApiError(response.status, e.code, e.message, e.details);
  } catch {
    // not the ledger's error shape: a proxy or a crash in between
  }
  return new ApiError(response.status, 'http_' + response.status,
    `the ledger answered ${response.status} ${response.statusText}` + (text ? ': ' + text.slice(0, 200) : ''));
}

const HINTS = {
  401: 'The credential was refused: check it, or sign out and sign in with another.',
  403: 'This credential may not do that (its role or its tenant does not allow it).',
  404: 'Nothing was found under that name in this tenant.',
  429: 'The ledger is busy for this credential; try again in a moment.',
  503: 'That part of the ledger does not run on this server or is not ready yet.',
};

/** An alert box saying what went wrong, in words, with every detail the ledger gave. */
export function errorBox(error, what) {
  const box = el('div', { class: 'error', role: 'alert' });
  if (!(error instanceof ApiError)) {
    box.append(el('p', {}, el('strong', { text: what ? what + ' failed' : 'Something went wrong' }), ': ',
      String(error && error.message || error)));
    return box;
  }
  const status = error.status ? `${error.status} ${error.code}` : error.code;
  box.append(el('p', {}, el('strong', { text: (what ? what + ' failed' : 'Error') + ` (${status})` }), ': ',
    error.message));
  if (Array.isArray(error.details) && error.details.length) {
    box.append(el('ul', {}, error.details.map((d) => el('li', {}, detail(d)))));
  }
  if (HINTS[error.status]) box.append(el('p', { class: 'hint', text: HINTS[error.status] }));
  return box;
}

function detail(d) {
  if (d == null || typeof d !== 'object') return String(d);
  const where = d.parameter ?? d.field ?? d.index;
  return (where != null ? where + ': ' : '') + (d.reason ?? JSON.stringify(d));
}
