// #/audit: the audit trail, searchable by every filter GET /v1/audit has.
import { el, time, tokenLink } from './dom.js';
import { listView } from './list-view.js';

/** Every violation kind of CONTRACT.md section 2. */
export const VIOLATIONS = ['escalation', 'lifetime_extension', 'use_after_revocation', 'use_after_expiry',
  'audience_mismatch', 'usage_limit_exceeded', 'holder_mismatch', 'unknown_token', 'cycle', 'depth_limit'];

const TYPES = ['token.issued', 'token.exchanged', 'token.attenuated', 'token.used', 'token.revoked'];

/** Columns both lists share: when, which token, who holds it, on whose behalf, through which chain. */
export function commonColumns(timeField, timeLabel) {
  return {
    time: { label: timeLabel, cell: (r) => time(r[timeField]) },
    token: { label: 'Token', cell: (r, tenant) => r.token_id ? tokenLink(r.token_id, tenant) : '—' },
    actor: { label: 'Holder', cell: (r) => r.actor ?? '—' },
    principal: { label: 'Principal', cell: (r) => r.principal ?? '—' },
    chain: { label: 'Chain', cell: (r) => chain(r.chain) },
  };
}

function chain(hops) {
  if (!hops || !hops.length) return el('span', { class: 'muted', text: 'no chain' });
  return el('span', { class: 'chain' }, hops.map((h, i) => [i ? ' → ' : '', el('span', { title: h.token_id + ' (' + h.via + ')', text: h.actor ?? h.token_id })]));
}

export function auditView(ctx) {
  const c = commonColumns('occurred_at', 'Occurred');
  return listView(ctx, {
    id: 'audit', title: 'Audit trail', path: '/audit', noun: 'records',
    empty: 'No audit record matches these filters.',
    fields: [
      { name: 'principal', label: 'Principal', hint: 'user:dana' },
      { name: 'actor', label: 'Actor (any hop)', hint: 'agent:fare-scraper' },
      { name: 'token', label: 'Token' },
      { name: 'resource', label: 'Resource' },
      { name: 'txn', label: 'Transaction (txn)', hint: 'a Txn-Token txn' },
      { name: 'violation', label: 'Violation', type: 'select', options: VIOLATIONS },
      { name: 'type', label: 'Type', type: 'select', options: TYPES },
      { name: 'outcome', label: 'Outcome', type: 'select', options: ['allowed', 'denied'] },
      { name: 'from', label: 'From', type: 'datetime' },
      { name: 'to', label: 'To (exclusive)', type: 'datetime' },
      { name: 'q', label: 'Text (Lucene)', hint: 'action:"GET /fares*"' },
    ],
    columns: [c.time, { label: 'Type', cell: (r) => r.type }, c.token, c.actor, c.principal, c.chain,
      { label: 'Resource and action', cell: (r) => [r.resource ?? '', r.action ? el('div', { class: 'muted', text: r.action }) : null] },
      { label: 'Outcome', cell: (r) => r.outcome ?? '' },
      { label: 'Violations', cell: (r) => (r.violations ?? []).length
        ? el('span', { class: 'violations', text: r.violations.join(', ') }) : '' }],
    download: { label: 'Download NDJSON', prefix: 'audit' },
  });
}
