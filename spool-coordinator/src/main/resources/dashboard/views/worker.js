// One worker: its card and the tasks it ran lately.
import {api, ApiError} from '../api.js';
import {on} from '../live.js';
import {badge, fill, fmtDuration, fmtTime, h, section, table} from '../dom.js';
import {replaceCard, workerCard} from './workercard.js';

export async function render(main, [id]) {
  let w;
  try {
    w = await api(`/api/v1/workers/${encodeURIComponent(id)}`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    // a coordinator without the per-worker route: the list has the worker, without its history
    w = (await api('/api/v1/workers')).workers.find((x) => x.worker_id === id);
    if (!w) throw e;
  }
  let card = workerCard(w, {onChanged: (next) => { card = replaceCard(card, next, {}); }});
  fill(main, h('p', {}, h('a', {href: '#/workers'}, '« Workers')), h('h1', {}, 'Worker ', h('span', {class: 'mono'}, w.worker_id)),
    card, section('Recent tasks', recent(w.recent_tasks)));
  return on('worker', (next) => {
    if (next.worker_id === w.worker_id && card.isConnected) card = replaceCard(card, {...w, ...next}, {});
  });
}

function recent(list) {
  if (!list) return h('p', {class: 'muted'}, 'This coordinator does not keep a worker\'s history.');
  if (!list.length) return h('p', {class: 'muted'}, 'Nothing yet.');
  return h('div', {id: 'recent-tasks'}, table(['Job', 'Task', 'Attempt', 'Started', 'Took', 'Outcome', 'Error'], list.map((t) => {
    const took = t.ended_at ? (Date.parse(t.ended_at) - Date.parse(t.started_at)) / 1000 : null;
    return h('tr', {},
      h('td', {}, h('a', {href: `#/jobs/${encodeURIComponent(t.job_id)}`, class: 'mono'}, t.job_id)),
      h('td', {}, `${t.kind}${t.piece !== null && t.piece !== undefined ? ` ${t.piece}` : ''}`),
      h('td', {class: 'num'}, String(t.attempt)),
      h('td', {class: 'nowrap'}, fmtTime(t.started_at)),
      h('td', {class: 'nowrap'}, took === null ? 'running' : fmtDuration(took)),
      h('td', {}, badge(t.outcome ?? 'running', 'outcome')),
      h('td', {class: 'error'}, t.error ?? ''));
  })));
}
