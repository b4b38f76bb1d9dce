// One worker as a card: capabilities, live load, current task, control state and its actions.
import {canAct, post, READ_ONLY_NOTE} from '../api.js';
import {badge, facts, fmtBytes, fmtTime, h, progressBar, errorText} from '../dom.js';

const KNOWN = new Set(['supported_codecs', 'has_gpu', 'gpu_type', 'max_resolution', 'encoder_build', 'cpu_cores', 'cpu_arch', 'memory_bytes', 'os']);

function meter(label, percent) {
  if (percent === null || percent === undefined) return null;
  const value = Math.max(0, Math.min(100, Number(percent)));
  return h('span', {class: 'meter-box'},
    h('meter', {min: '0', max: '100', low: '70', high: '90', optimum: '20', value: String(value), 'aria-label': label}),
    h('span', {}, ` ${value.toFixed(0)}%`));
}

function capabilities(caps) {
  const c = caps ?? {};
  const extra = Object.entries(c).filter(([k, v]) => !KNOWN.has(k) && v !== null && typeof v !== 'object');
  const cpu = [c.cpu_cores ? `${c.cpu_cores} cores` : null, c.cpu_arch, c.os].filter(Boolean).join(' · ');
  return [
    ['CPU', cpu || null],
    ['Memory', c.memory_bytes ? fmtBytes(c.memory_bytes) : null],
    ['Encoders', (c.supported_codecs ?? []).length ? h('span', {class: 'chips'}, c.supported_codecs.map((x) => h('span', {class: 'label'}, x))) : '—'],
    ['GPU', c.has_gpu ? (c.gpu_type ?? 'yes') : 'none'],
    ['Max resolution', c.max_resolution],
    ['ffmpeg', c.encoder_build],
    ...extra.map(([k, v]) => [k.replace(/_/g, ' '), String(v)]),
  ];
}

export function workerCard(w, {onChanged} = {}) {
  const hw = w.hardware_stats ?? {};
  const t = w.current_task;
  const status = h('p', {class: 'card-status', role: 'status', 'aria-live': 'polite'});
  // live redraws replace the card while a request is out: the answer goes to the card on screen now
  const say = (text) => {
    status.textContent = text;
    const shown = document.querySelector(`.worker[data-worker="${CSS.escape(w.worker_id)}"] .card-status`);
    if (shown) shown.textContent = text;
  };
  const allowed = canAct();
  const control = w.control ?? 'ACTIVE';
  const offline = w.status === 'OFFLINE';
  const button = (action, label, disabled) => h('button', {type: 'button', class: `control-${action}`, dataset: {action},
    disabled: !allowed || disabled, 'aria-describedby': allowed ? null : `note-${w.worker_id}`,
    onclick: async () => {
      say(`${label}…`);
      try {
        const reply = await post(`/api/v1/workers/${encodeURIComponent(w.worker_id)}/${action}`);
        say(`Now ${reply?.control ?? 'changed'}; the worker learns it at its next sync.`);
        onChanged?.({...w, control: reply?.control ?? control});
      } catch (e) {
        say(`Refused: ${errorText(e)}`);
      }
    }}, label);
  return h('article', {class: 'panel card worker', dataset: {worker: w.worker_id}},
    h('h2', {}, h('a', {href: `#/workers/${encodeURIComponent(w.worker_id)}`}, w.worker_id), ' ', badge(w.status), ' ',
      control !== 'ACTIVE' && control !== w.status ? badge(control, 'control') : null),
    facts([
      ['CPU load', meter('CPU load', hw.cpu_percent) ?? '—'],
      ['RAM in use', meter('RAM in use', hw.ram_percent) ?? '—'],
      ['Now', t ? h('span', {class: 'current-task'},
        h('a', {href: `#/jobs/${encodeURIComponent(t.job_id)}`, class: 'mono'}, t.job_id), ` ${t.kind}${t.piece !== null && t.piece !== undefined ? ` ${t.piece}` : ''} `,
        progressBar(t.progress, `Progress of ${w.worker_id}'s task`), t.fps ? ` ${t.fps} fps` : '')
        : w.current_job_id ? h('a', {href: `#/jobs/${encodeURIComponent(w.current_job_id)}`, class: 'mono'}, w.current_job_id) : 'idle'],
      ['Pools', (w.pools ?? []).join(', ') || '—'],
      ['Slots', String(w.slots)],
      ...capabilities(w.capabilities),
      ['Protocol', String(w.protocol)],
      ['Last seen', fmtTime(w.last_seen)],
    ]),
    h('div', {class: 'actions'},
      button('drain', 'Drain', offline || control === 'DRAINING'),
      button('pause', 'Pause', offline || control !== 'ACTIVE'),
      button('resume', 'Resume', offline || control === 'ACTIVE'),
      allowed ? null : h('span', {class: 'muted', id: `note-${w.worker_id}`}, READ_ONLY_NOTE)),
    status);
}

/** Replaces a card in place, keeping the keyboard focus on the same button when it had it. */
export function replaceCard(old, w, options) {
  const focused = old.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  const card = workerCard(w, options);
  // what the last action said stays on screen through live redraws
  card.querySelector('.card-status').textContent = old.querySelector('.card-status')?.textContent ?? '';
  old.replaceWith(card);
  if (focused) card.querySelector(`[data-action="${focused}"]`)?.focus();
  return card;
}

