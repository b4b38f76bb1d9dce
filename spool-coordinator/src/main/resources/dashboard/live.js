// The live feed: one EventSource on /api/v1/live (the cookie goes with it), fanned out to the views.
// EventSource reconnects by itself; when it gives up (a 401 after the session died) the session is checked.
import {restore} from './api.js';

const TYPES = ['hello', 'job', 'worker', 'worker_removed', 'stats'];
const handlers = new Map(TYPES.map((t) => [t, new Set()]));
const stateListeners = new Set();
let source = null;
let retry = null;
let hellos = 0;   // of this connection: a second one means the feed came back after a gap

export function connect() {
  if (source) return;
  hellos = 0;
  source = new EventSource('/api/v1/live');
  for (const type of TYPES) {
    source.addEventListener(type, (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch { return; }
      // what changed while the feed was away was never sent: a view asked again shows it
      if (type === 'hello') data.again = hellos++ > 0;
      for (const fn of handlers.get(type)) fn(data);
    });
  }
  source.addEventListener('open', () => setState('live'));
  source.addEventListener('error', () => {
    if (source?.readyState === EventSource.CLOSED) {
      source = null;
      setState('offline');
      clearTimeout(retry);
      retry = setTimeout(async () => { if (await restore().catch(() => null)) connect(); }, 3000);
    } else {
      setState('reconnecting');
    }
  });
}

export function disconnect() {
  clearTimeout(retry);
  source?.close();
  source = null;
  setState('');
}

/** Calls fn with each message of this type; returns the function that stops it. */
export function on(type, fn) {
  handlers.get(type).add(fn);
  return () => handlers.get(type).delete(fn);
}

export function onState(fn) {
  stateListeners.add(fn);
}

function setState(state) {
  for (const fn of stateListeners) fn(state);
}
