// Workers: a card each, kept current by the live feed's worker events.
import {api} from '../api.js';
import {on} from '../live.js';
import {fill, h} from '../dom.js';
import {replaceCard, workerCard} from './workercard.js';

export async function render(main) {
  const {workers} = await api('/api/v1/workers');
  const grid = h('div', {class: 'grid workers', id: 'workers'});
  const cardOf = (id) => grid.querySelector(`[data-worker="${CSS.escape(id)}"]`);
  const update = (w) => {
    const old = cardOf(w.worker_id);
    if (old) replaceCard(old, w, {onChanged: update}); else grid.append(workerCard(w, {onChanged: update}));
  };
  fill(main, h('h1', {}, 'Workers'), workers.length ? grid : h('p', {class: 'muted', id: 'workers'}, 'No worker has registered yet.'));
  workers.forEach(update);
  return on('worker', (w) => { if (grid.isConnected) update(w); });
}
