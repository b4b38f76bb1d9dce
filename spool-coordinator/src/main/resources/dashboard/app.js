// The dashboard's shell: the session, the header, and the hash routes to each view.
import {current, restore, signOut} from './api.js';
import {connect, disconnect, on, onState} from './live.js';
import {fill, h, errorText} from './dom.js';
import * as signin from './views/signin.js';

// each page's module is fetched when first shown: the jobs page does not wait for the player or the chart
const ROUTES = [
  [/^\/?$/, () => import('./views/overview.js'), 'overview'],
  [/^\/jobs$/, () => import('./views/jobs.js'), 'jobs'],
  [/^\/jobs\/([^/]+)$/, () => import('./views/job.js'), 'jobs'],
  [/^\/workers$/, () => import('./views/workers.js'), 'workers'],
  [/^\/workers\/([^/]+)$/, () => import('./views/worker.js'), 'workers'],
];

const main = document.getElementById('main');
let cleanup = null;
let wanted = null;   // the route asked for before signing in

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query] = raw.split('?');
  return {path, query: new URLSearchParams(query ?? '')};
}

async function route() {
  if (cleanup) { try { cleanup(); } catch { /* the old view is gone either way */ } cleanup = null; }
  if (!current()) { showSignIn(); return; }
  const {path, query} = parseHash();
  const found = ROUTES.find(([re]) => re.test(path));
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (found && a.dataset.nav === found[2]) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  if (!found) {
    fill(main, h('h1', {}, 'Not found'), h('p', {}, 'No page at ', h('code', {}, path), '. ', h('a', {href: '#/'}, 'Back to the overview')));
    return;
  }
  const [re, load] = found;
  const params = path.match(re).slice(1).map(decodeURIComponent);
  fill(main, h('p', {class: 'muted'}, 'Loading…'));
  const asked = location.hash;
  try {
    const view = await load();
    if (location.hash !== asked) return;   // the user moved on while the module loaded
    cleanup = await view.render(main, params, query) ?? null;
    // a new page: the keyboard and a screen reader start at its content, not at the old link
    if (!main.contains(document.activeElement)) main.focus({preventScroll: true});
  } catch (e) {
    if (e.status === 401) return;   // the sign-in page is on its way
    fill(main, h('h1', {}, 'Something went wrong'), h('p', {class: 'error', role: 'alert'}, errorText(e)));
  }
}

function showSignIn() {
  disconnect();
  header();
  document.querySelectorAll('[data-nav]').forEach((a) => a.removeAttribute('aria-current'));
  signin.render(main, async () => {
    header();
    connect();
    const back = wanted;
    wanted = null;
    if (back && back !== location.hash) location.hash = back; else await route();
  });
}

function header() {
  const s = current();
  const who = document.getElementById('who');
  who.textContent = s ? `${s.name} · ${s.role}` : '';
  document.getElementById('sign-out').hidden = !s;
  document.getElementById('read-only-note').hidden = !s || s.role !== 'read';
  document.querySelector('.nav').hidden = !s;
}

window.addEventListener('spool:unauthorized', () => {
  if (!document.getElementById('sign-in')) { wanted = location.hash; showSignIn(); }
});
window.addEventListener('hashchange', () => { if (current()) route(); });
// the feed reconnected (a coordinator restarted, the network dropped): the changes of the gap were not
// sent, so the page is drawn again from the routes
on('hello', (hello) => { if (hello.again && current()) route(); });
document.getElementById('sign-out').addEventListener('click', async () => {
  await signOut();
  if (cleanup) { cleanup(); cleanup = null; }
  showSignIn();
});
onState((state) => {
  const el = document.getElementById('live-state');
  el.textContent = state === 'live' ? '● live' : state === 'reconnecting' ? '○ reconnecting…' : state === 'offline' ? '○ offline' : '';
  el.dataset.state = state;
});

(async () => {
  try {
    await restore();
  } catch (e) {
    fill(main, h('p', {class: 'error', role: 'alert'}, errorText(e)));
    return;
  }
  if (current()) { header(); connect(); await route(); } else { wanted = location.hash; showSignIn(); }
})();
