// Workers: a card each, kept current by the live feed's worker events.
import {api} from '../api.js';
import {on} from '../live.js';
import {fill, h} from '../dom.js';
import {replaceCard, workerCard} from './workercard.js';

export async function render(main) {
  const {workers} = await api('/api/v1/workers');
  const grid = h('div', {class: 'grid workers', id: 'workers'});
  const cardOf = (id) => grid.querySelector(`[data-worker="${CSS.escape(id)}"]`);
  // kept on the page while empty: the first worker to register appears in it live
  const none = h('p', {class: 'muted'}, 'No worker has registered yet.');
  const update = (w) => {
    const old = cardOf(w.worker_id);
    if (old) replaceCard(old, w, {onChanged: update}); else grid.append(workerCard(w, {onChanged: update}));
    none.hidden = true;
  };
  const remove = ({worker_id: id}) => {
    cardOf(id)?.remove();
    none.hidden = grid.children.length > 0;
  };
  fill(main, h('h1', {}, 'Workers'), none, grid);
  workers.forEach(update);
  const offWorker = on('worker', update);
  const offRemoved = on('worker_removed', remove);
  return () => { offWorker(); offRemoved(); };
}
