// Overview: queue depth by state, priority and pool; workers; throughput; the jobs needing a person.
import {api} from '../api.js';
import {on} from '../live.js';
import {badge, facts, fill, fmtBytes, fmtDuration, fmtTime, h, section, table, errorText} from '../dom.js';
import {throughputChart} from '../chart.js';

const STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'];

export async function render(main) {
  const [stats, history, attention] = await Promise.all([
    api('/api/v1/stats'),
    api('/api/v1/stats/history?hours=6').catch((e) => ({error: e})),
    api('/api/v1/jobs?needs_attention=true&limit=20'),
  ]);
  const statsBox = h('div', {class: 'grid', id: 'overview-stats'});
  const chartBox = h('div', {class: 'chart', id: 'throughput', role: 'img',
    'aria-label': 'Jobs completed and failed per 10 minutes over the last 6 hours'});
  const attentionBox = h('div', {id: 'attention'});
  fill(main,
    h('h1', {}, 'Overview'),
    statsBox,
    section('Completed and failed, per 10 minutes (last 6 hours)', chartBox),
    section('Jobs needing a person', attentionBox));
  showStats(statsBox, stats);
  showAttention(attentionBox, attention.jobs);
  let removeChart = () => {};
  if (history.error) fill(chartBox, h('p', {class: 'muted'}, `No history: ${errorText(history.error)}`));
  else removeChart = throughputChart(chartBox, history);

  let pending = null;
  const refreshAttention = () => {
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      try { showAttention(attentionBox, (await api('/api/v1/jobs?needs_attention=true&limit=20')).jobs); } catch { /* next event retries */ }
    }, 1000);
  };
  const offStats = on('stats', (s) => showStats(statsBox, s));
  const offJob = on('job', (j) => { if (j.needs_attention || attentionBox.querySelector(`[data-job="${CSS.escape(j.job_id)}"]`)) refreshAttention(); });
  // the chart's buckets are 10 minutes: once a minute is often enough to ask again
  const every = setInterval(async () => {
    try {
      const next = await api('/api/v1/stats/history?hours=6');
      removeChart();
      fill(chartBox);
      removeChart = throughputChart(chartBox, next);
    } catch { /* the next minute tries again */ }
  }, 60_000);
  return () => { offStats(); offJob(); clearTimeout(pending); clearInterval(every); removeChart(); };
}

function card(title, body, id) {
  return h('section', {class: 'panel card', id}, h('h2', {}, title), body);
}

function showStats(box, s) {
  const jobs = s.jobs ?? {};
  const depth = s.queue?.depth ?? [];
  const w = s.workers ?? {};
  fill(box,
    card('Jobs by state', h('ul', {class: 'counts'}, STATES.map((state) =>
      h('li', {}, h('a', {href: `#/jobs?state=${state.toUpperCase()}`}, badge(state.toUpperCase())), h('strong', {class: 'count'}, String(jobs[state] ?? 0))))),
    'jobs-by-state'),
    card(`Queued tasks: ${s.queue?.total ?? 0}`, depth.length
      ? table(['Pool', 'Priority', 'Tasks'], depth.map((d) => h('tr', {}, h('td', {}, d.pool), h('td', {}, d.priority), h('td', {class: 'num'}, String(d.count)))))
      : h('p', {class: 'muted'}, 'Nothing waiting.'), 'queue-depth'),
    card('Workers', h('ul', {class: 'counts'},
      // desired: the autoscaling policy's count (what KEDA or --scale-exec is asked for)
      [['online', w.online], ['busy', w.busy], ['idle', w.idle], ['draining', w.draining], ['slots', w.slots],
        ['desired', s.desired_workers]]
        .map(([k, v]) => h('li', {}, h('span', {}, k), h('strong', {class: 'count'}, String(v ?? 0))))), 'workers-summary'),
    card('Last hour', facts([
      ['Completed', String(s.last_hour?.completed ?? 0)],
      ['Failed', String(s.last_hour?.failed ?? 0)],
      ['Media produced', fmtDuration(s.last_hour?.media_seconds ?? 0)],
      ['Tasks running', String(s.tasks_leased ?? 0)],
      ['Oldest queued', s.oldest_queued_seconds ? fmtDuration(s.oldest_queued_seconds) : '—'],
      ['Output written', fmtBytes(s.output_bytes ?? 0)],
      ['As of', fmtTime(s.at)],
    ]), 'last-hour'));
}

function showAttention(box, jobs) {
  if (!jobs.length) { fill(box, h('p', {class: 'muted'}, 'None: nothing is waiting for a person.')); return; }
  fill(box, table(['Job', 'State', 'Why', 'Input'], jobs.map((j) => h('tr', {dataset: {job: j.job_id}},
    h('td', {}, h('a', {href: `#/jobs/${encodeURIComponent(j.job_id)}`}, j.job_id)),
    h('td', {}, badge(j.state)),
    h('td', {}, j.attention_reason ?? j.error ?? '—'),
    h('td', {class: 'path'}, j.input)))));
}
