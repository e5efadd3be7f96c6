// The console's shell: sign-in, the hash router, the tenant, the live revocation feed and its banner.
import { el, replace, time, tokenLink } from './dom.js';
import { Api, errorBox } from './api.js';
import * as session from './session.js';
import { RevocationFeed } from './live.js';
import { tokenView } from './token-view.js';
import { auditView } from './audit-view.js';
import { alertsView } from './alerts-view.js';
import { exportsView } from './exports-view.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const tenantForm = document.getElementById('tenant-form');
const tenantInput = document.getElementById('tenant-input');
const liveBadge = document.getElementById('live');
const signOutButton = document.getElementById('sign-out');
const banner = document.getElementById('banner');

let api = null;
let feed = null;
let view = null;
const revocations = new Map(); // cause -> {notice, count, inView}

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  const path = (q < 0 ? hash : hash.slice(0, q)).split('/').filter(Boolean).map(decodeURIComponent);
  return { path, params: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1)) };
}

/** The tenant views read: the link's ?tenant= first, then the one chosen at sign-in ('' = the credential's own). */
function tenantOf(params) {
  return params.get('tenant') ?? session.load()?.tenant ?? '';
}

function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function render() {
  const s = session.load();
  if (!s) return signInView();
  if (!api) startSession(s);
  const { path, params } = route();
  const tenant = tenantOf(params);
  followTenant(tenant);
  const ctx = { api, tenant, params, main, navigate };
  for (const a of nav.querySelectorAll('a')) {
    a.toggleAttribute('aria-current', a.getAttribute('href') === '#/' + (path[0] ?? 'tokens'));
  }
  switch (path[0] ?? 'tokens') {
    case 'tokens': view = tokenView(ctx, path[1]); break;
    case 'audit': view = auditView(ctx); break;
    case 'alerts': view = alertsView(ctx); break;
    case 'exports': view = exportsView(ctx); break;
    default:
      view = {};
      replace(main, el('h1', { tabindex: '-1', text: 'Not found' }),
        el('p', { text: `The console has no page "${path.join('/')}".` }));
  }
  main.querySelector('h1')?.focus();
}

function signInView(error) {
  const credential = el('input', { id: 'credential', name: 'credential', type: 'password', required: true,
    autocomplete: 'off', spellcheck: 'false' });
  const tenant = el('input', { id: 'tenant', name: 'tenant', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'acme' });
  const status = el('div', { id: 'sign-in-status', role: 'status', 'aria-live': 'polite' }, error);
  replace(main, el('h1', { tabindex: '-1', text: 'Sign in' }),
    el('form', { id: 'sign-in', class: 'sign-in', onsubmit: async (e) => {
      e.preventDefault();
      replace(status, 'Checking …');
      const candidate = new Api(credential.value.trim());
      try {
        // A read the console needs anyway: it checks the credential, its role and the tenant in one call.
        await candidate.get('/alerts', { tenant: tenant.value.trim(), limit: 1 });
      } catch (err) {
        replace(status, errorBox(err, 'Sign-in'));
        credential.select();
        return;
      }
      session.save({ credential: candidate.credential, tenant: tenant.value.trim() });
      credential.value = '';
      startSession(session.load());
      render();
    } },
    el('div', { class: 'field' }, el('label', { for: 'credential', text: 'API key or bearer JWT' }), credential),
    el('div', { class: 'field' }, el('label', { for: 'tenant', text: 'Tenant' }), tenant),
    el('p', { class: 'hint', text: 'A credential for every tenant (*) reads the tenant named here (default: "default"); '
      + 'a tenant credential reads only its own. The credential stays in this tab (sessionStorage) until you sign out '
      + 'or close it.' }),
    el('button', { type: 'submit', id: 'sign-in-button', text: 'Sign in' })), status);
  main.querySelector('h1').focus();
}

function startSession(s) {
  api = new Api(s.credential);
  nav.hidden = tenantForm.hidden = signOutButton.hidden = liveBadge.hidden = false;
  tenantInput.value = s.tenant;
}

function signOut() {
  session.clear();
  feed?.stop();
  feed = null;
  api = null;
  view = null;
  revocations.clear();
  banner.hidden = true;
  replace(banner);
  nav.hidden = tenantForm.hidden = signOutButton.hidden = liveBadge.hidden = true;
  tenantInput.value = '';
  history.replaceState(null, '', location.pathname);
  signInView();
}

/** (Re)starts the live feed when the tenant being read changes. */
function followTenant(tenant) {
  tenantInput.value = tenant;
  if (feed && feed.tenant === tenant) return;
  feed?.stop();
  revocations.clear();
  feed = new RevocationFeed(api, tenant, onNotice, onFeedState).start();
}

function onFeedState(state, message) {
  liveBadge.dataset.state = state;
  liveBadge.textContent = { connecting: 'live: connecting', live: 'live', reconnecting: 'live: reconnecting',
    stopped: 'live: off' }[state] ?? state;
  liveBadge.title = message ? 'revocation stream: ' + message : 'following /v1/revocations/stream';
}

function onNotice(notice) {
  const inView = Boolean(view?.onRevocation?.(notice));
  const cause = notice.revocation_cause ?? notice.token_id;
  const entry = revocations.get(cause) ?? { notice, count: 0, inView: 0 };
  entry.count += 1;
  entry.inView += inView ? 1 : 0;
  entry.latest = notice;
  revocations.set(cause, entry);
  showBanner(cause, entry);
}

function showBanner(cause, { notice, count, inView, latest }) {
  const tenant = notice.tenant ?? tenantInput.value;
  replace(banner,
    el('span', { id: 'banner-text' }, el('strong', { text: 'Revocation of ' }), tokenLink(cause, tenant),
      notice.reason ? ` (“${notice.reason}”` + (notice.revoked_by ? ` by ${notice.revoked_by})` : ')') : '',
      `: ${count} token${count === 1 ? '' : 's'} revoked so far`,
      inView ? `, ${inView} in this view` : '', ', latest ', el('code', { text: latest.token_id }), ' at ',
      time(latest.revoked_at)),
    el('button', { type: 'button', class: 'secondary', text: 'Dismiss', onclick: () => { banner.hidden = true; } }));
  banner.dataset.cause = cause;
  banner.hidden = false;
}

tenantForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const s = session.load();
  if (!s) return;
  session.save({ ...s, tenant: tenantInput.value.trim() });
  const { path, params } = route();
  params.set('tenant', tenantInput.value.trim());
  if (!tenantInput.value.trim()) params.delete('tenant');
  const q = params.toString();
  navigate('#/' + path.map(encodeURIComponent).join('/') + (q ? '?' + q : ''));
});
signOutButton.addEventListener('click', signOut);
// The skip link moves focus without touching the hash, which is the router's.
document.getElementById('skip').addEventListener('click', (e) => { e.preventDefault(); main.focus(); });
window.addEventListener('hashchange', render);
render();
