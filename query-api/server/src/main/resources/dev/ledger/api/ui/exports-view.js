// #/exports: downloads a signed compliance export (docs/exports.md) and shows the checkpoint it carries.
import { el, replace, time, localToIso, saveBlob } from './dom.js';
import { errorBox } from './api.js';

export function exportsView(ctx) {
  const from = el('input', { id: 'export-from', type: 'datetime-local', step: '1' });
  const to = el('input', { id: 'export-to', type: 'datetime-local', step: '1' });
  const format = el('select', { id: 'export-format' }, ['ndjson', 'csv', 'ocsf'].map((f) => el('option', { value: f, text: f })));
  const previous = el('input', { id: 'export-previous', type: 'number', min: '0', inputmode: 'numeric',
    placeholder: 'optional' });
  const status = el('div', { role: 'status', 'aria-live': 'polite' });
  const result = el('section', { id: 'export-result', 'aria-label': 'export checkpoint' });
  const field = (input, label) => el('div', { class: 'field' }, el('label', { for: input.id, text: label }), input);

  async function run(e) {
    e.preventDefault();
    replace(result);
    replace(status, 'Preparing the export …');
    try {
      const response = await ctx.api.fetch('/exports', { tenant: ctx.tenant, from: localToIso(from.value),
        to: localToIso(to.value), format: format.value, previous_tree_size: previous.value });
      const blob = await response.blob();
      const name = filename(response.headers.get('Content-Disposition')) ?? `ledger-export.${format.value}`;
      saveBlob(blob, name);
      replace(status, `Downloaded ${name} (${blob.size.toLocaleString()} bytes).`);
      if (format.value === 'ndjson') showCheckpoint(result, blob, ctx);
      else replace(result, el('p', { class: 'hint', text: 'Only the NDJSON format carries the signed checkpoint and proofs; '
        + 'each row here names its leaf index, to match it against a verified NDJSON export of the same range.' }));
    } catch (err) {
      replace(status, errorBox(err, 'Export'));
    }
  }

  replace(ctx.main, el('h1', { tabindex: '-1', text: 'Compliance exports' }),
    el('p', { class: 'hint', text: 'A signed, verifiable export of the tenant\'s audit trail for a period of commit time '
      + '(check it with `ledger verify`).' }),
    el('form', { class: 'filters', id: 'export-form', onsubmit: run },
      field(from, 'From'), field(to, 'To (exclusive)'), field(format, 'Format'),
      field(previous, 'Previous tree size'), el('div', { class: 'actions' },
        el('button', { type: 'submit', id: 'export-download', text: 'Download export' }))),
    status, result);
  return {};
}

function filename(disposition) {
  const m = /filename="([^"]+)"/.exec(disposition ?? '');
  return m ? m[1] : null;
}

async function showCheckpoint(result, blob, ctx) {
  try {
    const head = await blob.slice(0, 1 << 20).text();
    const header = JSON.parse(head.slice(0, head.indexOf('\n') >= 0 ? head.indexOf('\n') : undefined)).ledger_export;
    const tail = (await blob.slice(Math.max(0, blob.size - 4096)).text()).trim().split('\n').pop();
    const count = JSON.parse(tail).ledger_export_end?.count;
    const cp = header.checkpoint;
    const keys = await ctx.api.get('/keys').catch(() => ({ keys: [] }));
    const known = (keys.keys ?? []).some((k) => k.kid === cp.key_id);
    const rows = [
      ['tenant', cp.tenant], ['tree size', cp.tree_size], ['root hash', el('code', { text: cp.root_hash })],
      ['signed at', time(cp.timestamp)], ['key id', [el('code', { text: cp.key_id }), ' ',
        el('span', { class: known ? 'ok' : 'violations', text: known ? '(the ledger\'s notary key, GET /v1/keys)'
          : '(not a key this ledger serves)' })]],
      ['signature', el('code', { class: 'wrap', text: cp.signature })],
      ['leaves', `${header.first_leaf} to ${header.end_leaf} (exclusive)`], ['records', count],
      ['consistency proof', header.consistency ? `from tree size ${header.consistency.from_tree_size}` : 'not asked for'],
    ];
    replace(result, el('h2', { text: 'Checkpoint' }), el('dl', { id: 'checkpoint' },
      rows.map(([k, v]) => [el('dt', { text: k }), el('dd', {}, v ?? '—')])));
  } catch (e) {
    replace(result, errorBox(e, 'Reading the export\'s checkpoint'));
  }
}
