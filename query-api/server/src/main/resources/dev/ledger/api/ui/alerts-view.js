// #/alerts: the violations the ledger raised, with the filters GET /v1/alerts has.
import { el } from './dom.js';
import { listView } from './list-view.js';
import { VIOLATIONS, commonColumns } from './audit-view.js';

export function alertsView(ctx) {
  const c = commonColumns('detected_at', 'Detected');
  return listView(ctx, {
    id: 'alerts', title: 'Alerts', path: '/alerts', noun: 'alerts',
    empty: 'No alert matches these filters.',
    fields: [
      { name: 'kind', label: 'Kind', type: 'select', options: VIOLATIONS },
      { name: 'token', label: 'Token' },
      { name: 'principal', label: 'Principal' },
      { name: 'actor', label: 'Actor (any hop)' },
      { name: 'from', label: 'From', type: 'datetime' },
      { name: 'to', label: 'To (exclusive)', type: 'datetime' },
    ],
    columns: [c.time, { label: 'Kind', cell: (a) => el('span', { class: 'violations', text: a.kind }) }, c.token,
      c.actor, c.principal, c.chain, { label: 'Message', cell: (a) => a.message ?? '' }],
  });
}
