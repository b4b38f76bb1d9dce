// The live feed: one EventSource on /api/v1/live (the cookie goes with it), fanned out to the views.
// EventSource reconnects by itself; when it gives up (a 401 after the session died) the session is checked.
import {restore} from './api.js';

const TYPES = ['hello', 'job', 'worker', 'stats'];
const handlers = new Map(TYPES.map((t) => [t, new Set()]));
const stateListeners = new Set();
let source = null;
let retry = null;

export function connect() {
  if (source) return;
  source = new EventSource('/api/v1/live');
  for (const type of TYPES) {
    source.addEventListener(type, (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch { return; }
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
