// A job's tasks over its workers: one lane per worker, one bar per attempt, placed by its start and end.
import {fmtClock, fmtDuration, h} from '../dom.js';

const UNASSIGNED = 'no worker';

/** The job's timeline as the API gives it, or one built from its tasks when the coordinator sends none. */
export function attempts(job) {
  if (Array.isArray(job.timeline)) return job.timeline;
  return (job.tasks ?? []).filter((t) => t.started_at).map((t) => ({
    task_id: t.task_id, kind: t.kind, piece: t.piece, attempt: t.attempts, worker: t.worker,
    start: t.started_at, end: t.finished_at ?? null,
    outcome: t.state === 'DONE' ? 'done' : t.state === 'LEASED' ? 'running' : String(t.state).toLowerCase(),
    error: t.last_error,
  }));
}

function name(bar) {
  return `${bar.kind}${bar.piece !== null && bar.piece !== undefined ? ` ${bar.piece}` : ''}`;
}

export function timeline(job, now = Date.now()) {
  const bars = attempts(job);
  if (!bars.length) return h('p', {class: 'muted', id: 'timeline'}, 'No task has started yet.');
  const start = Math.min(...bars.map((b) => Date.parse(b.start)));
  const end = Math.max(...bars.map((b) => (b.end ? Date.parse(b.end) : now)), start + 1000);
  const span = end - start;
  const lanes = new Map();
  for (const b of bars) {
    const worker = b.worker ?? UNASSIGNED;
    if (!lanes.has(worker)) lanes.set(worker, []);
    lanes.get(worker).push(b);
  }
  const rows = [...lanes].map(([worker, list]) => h('div', {class: 'lane', dataset: {worker}},
    h('div', {class: 'lane-name', title: worker}, worker),
    h('div', {class: 'lane-track'}, list.map((b) => {
      const from = Date.parse(b.start);
      const to = b.end ? Date.parse(b.end) : now;
      const text = `${name(b)} · attempt ${b.attempt} · ${b.outcome} · on ${worker} · ${fmtClock(b.start)}–${b.end ? fmtClock(b.end) : 'now'}`
        + ` (${fmtDuration((to - from) / 1000)})${b.error ? ` · ${b.error}` : ''}`;
      const el = h('div', {class: `bar outcome-${String(b.outcome).replace(/[^a-z-]/g, '')}`, tabindex: '0', role: 'img',
        title: text, 'aria-label': text, dataset: {worker, task: b.task_id ?? '', outcome: b.outcome, attempt: String(b.attempt)}},
      h('span', {class: 'bar-text'}, b.attempt > 1 ? `${name(b)} #${b.attempt}` : name(b)));
      el.style.left = `${((from - start) / span) * 100}%`;
      el.style.width = `${Math.max(((to - from) / span) * 100, 0.5)}%`;
      return el;
    }))));
  return h('div', {class: 'timeline', id: 'timeline'},
    h('div', {class: 'timeline-axis'}, h('span', {}, fmtClock(new Date(start).toISOString())),
      h('span', {}, fmtDuration(span / 1000)), h('span', {}, fmtClock(new Date(end).toISOString()))),
    rows,
    h('p', {class: 'legend'}, ['done', 'running', 'failed', 'other'].map((o) => [h('span', {class: `key outcome-${o}`}), ` ${o} `])));
}
