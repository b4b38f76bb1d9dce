// Jobs: filters (state, label, text), cursor pages, live progress, bulk cancel and retry.
import {api, canAct, post, READ_ONLY_NOTE} from '../api.js';
import {on} from '../live.js';
import {badge, fill, fmtTime, h, progressBar, setProgress, table, errorText} from '../dom.js';

const STATES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];
const PAGE = 50;

export async function render(main, params, query) {
  const state = query.get('state') ?? '';
  const label = query.get('label') ?? '';
  const q = query.get('q') ?? '';
  const cursor = query.get('cursor') ?? '';
  const ask = new URLSearchParams({limit: String(PAGE)});
  if (state) ask.set('state', state);
  if (label) ask.set('label', label);
  if (q) ask.set('q', q);
  if (cursor) ask.set('cursor', cursor);
  const page = await api(`/api/v1/jobs?${ask}`);

  const stateSelect = h('select', {id: 'filter-state', name: 'state'},
    h('option', {value: ''}, 'any state'), STATES.map((s) => h('option', {value: s, selected: s === state}, s)));
  const labelInput = h('input', {id: 'filter-label', name: 'label', value: label, placeholder: 'movie_id=42', autocomplete: 'off'});
  const qInput = h('input', {id: 'filter-q', name: 'q', type: 'search', value: q, placeholder: 'id, label, input or output', autocomplete: 'off'});
  const filters = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter jobs'},
    h('label', {}, 'State', stateSelect),
    h('label', {}, 'Label', labelInput),
    h('label', {}, 'Search', qInput),
    h('button', {type: 'submit'}, 'Apply'),
    h('a', {href: '#/jobs', class: 'button-like'}, 'Clear'));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (stateSelect.value) next.set('state', stateSelect.value);
    if (labelInput.value.trim()) next.set('label', labelInput.value.trim());
    if (qInput.value.trim()) next.set('q', qInput.value.trim());
    location.hash = `#/jobs${next.size ? `?${next}` : ''}`;
  });

  const allowed = canAct();
  const status = h('p', {class: 'bulk-status', id: 'bulk-status', role: 'status', 'aria-live': 'polite'});
  const selectAll = h('input', {type: 'checkbox', id: 'select-all', 'aria-label': 'Select every job on this page'});
  const cancelButton = h('button', {type: 'button', id: 'bulk-cancel', class: 'danger', disabled: true}, 'Cancel selected');
  const retryButton = h('button', {type: 'button', id: 'bulk-retry', disabled: true}, 'Retry selected');
  const rows = page.jobs.map(row);
  const body = table([selectAll, 'Job', 'State', 'Progress', 'fps', 'Priority', 'Labels', 'Input', 'Created'], rows, 'Jobs');
  const checks = () => [...body.querySelectorAll('input.pick')];
  const selected = () => checks().filter((c) => c.checked).map((c) => c.value);
  const updateButtons = () => {
    const n = selected().length;
    cancelButton.disabled = retryButton.disabled = !allowed || n === 0;
    cancelButton.textContent = n ? `Cancel ${n} selected` : 'Cancel selected';
    retryButton.textContent = n ? `Retry ${n} selected` : 'Retry selected';
  };
  body.addEventListener('change', updateButtons);
  selectAll.addEventListener('change', () => { checks().forEach((c) => { c.checked = selectAll.checked; }); updateButtons(); });

  const bulk = async (action) => {
    const ids = selected();
    if (!ids.length) return;
    cancelButton.disabled = retryButton.disabled = true;
    status.textContent = `${action === 'cancel' ? 'Cancelling' : 'Retrying'} ${ids.length} job(s)…`;
    try {
      const reply = await post('/api/v1/jobs/bulk', {action, job_ids: ids});
      const failed = reply.results.filter((r) => !r.ok);
      for (const r of reply.results) if (r.ok && r.state) updateRow(body, {job_id: r.job_id, state: r.state});
      status.textContent = `${reply.results.length - failed.length} of ${ids.length} done`
        + (failed.length ? `; refused: ${failed.map((r) => `${r.job_id} (${r.error?.message ?? 'refused'})`).join(', ')}` : '.');
    } catch (e) {
      status.textContent = `Refused: ${errorText(e)}`;
    }
    updateButtons();
  };
  cancelButton.addEventListener('click', () => bulk('cancel'));
  retryButton.addEventListener('click', () => bulk('retry'));

  const next = new URLSearchParams(query);
  if (page.next_cursor) next.set('cursor', page.next_cursor);
  const first = new URLSearchParams(query);
  first.delete('cursor');
  const pager = h('nav', {class: 'pager', 'aria-label': 'Pages'},
    cursor ? h('a', {href: `#/jobs${first.size ? `?${first}` : ''}`, class: 'button-like'}, '« First page') : null,
    page.next_cursor ? h('a', {href: `#/jobs?${next}`, class: 'button-like', id: 'next-page'}, 'Next page »') : h('span', {class: 'muted'}, 'Last page'));

  fill(main,
    h('h1', {}, 'Jobs'),
    filters,
    h('div', {class: 'bulk'}, cancelButton, retryButton,
      allowed ? null : h('span', {class: 'muted', id: 'actions-note'}, READ_ONLY_NOTE), status),
    page.jobs.length ? body : h('p', {class: 'muted'}, 'No jobs match.'),
    pager);
  updateButtons();
  // the first page is on screen: spool bench dashboard reads this mark
  performance.mark('spool:jobs-rendered', {detail: {rows: page.jobs.length}});
  // a job that is not on this page (a new one, or one that now matches) is offered, not pushed in:
  // rows do not move under the user's pointer
  const fresh = new Set();
  const offer = h('button', {type: 'button', id: 'show-new', class: 'link-button', hidden: true, onclick: () => window.dispatchEvent(new HashChangeEvent('hashchange'))});
  main.querySelector('.bulk').append(offer);
  return on('job', (j) => {
    if (body.querySelector(`tr[data-job="${CSS.escape(j.job_id)}"]`)) { updateRow(body, j); return; }
    if (cursor || (state && j.state !== state)) return;
    fresh.add(j.job_id);
    offer.hidden = false;
    offer.textContent = `${fresh.size} more job(s) changed: show`;
  });
}

function row(j) {
  const id = j.job_id;
  return h('tr', {dataset: {job: id}},
    h('td', {}, h('input', {type: 'checkbox', class: 'pick', value: id, 'aria-label': `Select job ${id}`})),
    h('td', {}, h('a', {href: `#/jobs/${encodeURIComponent(id)}`, class: 'mono'}, id)),
    h('td', {class: 'cell-state'}, badge(j.state)),
    h('td', {class: 'cell-progress'}, progressBar(j.progress, `Progress of job ${id}`)),
    h('td', {class: 'cell-fps num'}, j.state === 'RUNNING' && j.fps ? String(j.fps) : ''),
    h('td', {}, j.priority),
    h('td', {class: 'labels'}, Object.entries(j.labels ?? {}).map(([k, v]) => h('span', {class: 'label'}, `${k}=${v}`))),
    h('td', {class: 'path'}, j.input),
    h('td', {class: 'nowrap'}, fmtTime(j.created_at)));
}

function updateRow(body, j) {
  const tr = body.querySelector(`tr[data-job="${CSS.escape(j.job_id)}"]`);
  if (!tr) return;
  if (j.state) fill(tr.querySelector('.cell-state'), badge(j.state));
  if (j.progress !== undefined) setProgress(tr.querySelector('.cell-progress .progress'), j.progress);
  if (j.fps !== undefined) tr.querySelector('.cell-fps').textContent = j.state === 'RUNNING' && j.fps ? String(j.fps) : '';
}
