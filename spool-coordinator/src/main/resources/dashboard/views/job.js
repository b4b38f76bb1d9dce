// One job: state and actions, outputs and the player, results, the task timeline, tasks with their
// ffmpeg log tails, the event trail, webhook deliveries and the spec as accepted.
import {api, canAct, post, READ_ONLY_NOTE} from '../api.js';
import {on} from '../live.js';
import {badge, facts, fill, fmtBytes, fmtDuration, fmtTime, h, progressBar, section, setProgress, table, errorText} from '../dom.js';
import {timeline} from './timeline.js';
import {player} from './player.js';

const REFRESH_MS = 1500;

export async function render(main, [id]) {
  const path = `/api/v1/jobs/${encodeURIComponent(id)}`;
  let job = await api(path);
  const head = h('div', {class: 'job-head'});
  const actionStatus = h('p', {id: 'action-status', role: 'status', 'aria-live': 'polite'});
  const playerBox = h('div', {id: 'player-box'});
  const body = h('div', {id: 'job-body'});
  const openLogs = new Set();   // the task logs the user opened stay open across refreshes
  let media = null;

  const act = async (action) => {
    actionStatus.textContent = `${action === 'cancel' ? 'Cancelling' : 'Retrying'}…`;
    try {
      const reply = await post(`${path}/${action}`);
      actionStatus.textContent = `${action === 'cancel' ? 'Cancelled' : 'Retried'}: the job is ${reply?.state ?? 'changing'}.`;
      await refresh();
    } catch (e) {
      actionStatus.textContent = `Refused: ${errorText(e)}`;
    }
  };

  const draw = () => {
    fill(head,
      h('h1', {}, 'Job ', h('span', {class: 'mono'}, job.job_id), ' ', badge(job.state)),
      h('div', {class: 'job-progress', 'aria-live': 'polite'}, progressBar(job.progress, 'Job progress'),
        job.state === 'RUNNING' ? h('span', {class: 'muted', id: 'job-rate'},
          ` ${job.fps ?? 0} fps · ${job.speed ?? 0}x · eta ${fmtDuration(job.eta_sec)}`) : null),
      actions(job, act), actionStatus);
    const playback = job.outputs?.playback_url;
    if (playback && job.state === 'COMPLETED' && !media) {
      media = player(playback);
      fill(playerBox, section('Player', media.el));
    }
    for (const d of body.querySelectorAll('details[data-task]')) {
      if (d.open) openLogs.add(d.dataset.task); else openLogs.delete(d.dataset.task);
    }
    fill(body,
      section('Summary', summary(job)),
      section('Timeline of tasks over workers', timeline(job)),
      section('Tasks', tasks(job, openLogs)),
      section('Events', events(job)),
      section('Webhook deliveries', webhooks(job)),
      section('Spec', h('pre', {class: 'spec'}, JSON.stringify(job.spec ?? {}, null, 2))));
  };

  let timer = null;
  let stale = false;
  const refresh = async () => {
    try { job = await api(path); draw(); } catch (e) { actionStatus.textContent = errorText(e); }
  };
  const soon = () => {
    stale = true;
    if (timer) return;
    timer = setTimeout(async () => { timer = null; if (stale) { stale = false; await refresh(); } }, REFRESH_MS);
  };

  fill(main, h('p', {}, h('a', {href: '#/jobs'}, '« Jobs')), head, playerBox, body);
  draw();
  const off = on('job', (j) => {
    if (j.job_id !== job.job_id) return;
    // progress at once from the event; the rest (tasks, timeline, events) with the next refresh
    setProgress(head.querySelector('.job-progress .progress'), j.progress);
    if (j.state !== job.state) { job = {...job, ...j}; draw(); }
    soon();
  });
  return () => { off(); clearTimeout(timer); media?.destroy(); };
}

function actions(job, act) {
  const allowed = canAct();
  const ended = ['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.state);
  const cancel = h('button', {type: 'button', id: 'cancel-job', class: 'danger', disabled: !allowed || ended,
    'aria-describedby': allowed ? null : 'job-actions-note', onclick: () => act('cancel')}, 'Cancel job');
  const retry = h('button', {type: 'button', id: 'retry-job', disabled: !allowed || !['FAILED', 'CANCELLED'].includes(job.state),
    'aria-describedby': allowed ? null : 'job-actions-note', onclick: () => act('retry')}, 'Retry job');
  return h('div', {class: 'actions'}, cancel, retry,
    allowed ? null : h('span', {class: 'muted', id: 'job-actions-note'}, READ_ONLY_NOTE));
}

function link(url) {
  if (!url) return null;
  // only our own paths and http(s) are links; anything else (s3://, a file path) is shown as text
  return /^(\/|https?:\/\/)/.test(url) ? h('a', {href: url, class: 'path'}, url) : h('span', {class: 'path'}, url);
}

function summary(job) {
  const r = job.result ?? {};
  return facts([
    ['Priority', job.priority],
    ['Input', h('span', {class: 'path'}, job.input)],
    ['Output', h('span', {class: 'path'}, job.output)],
    ['Labels', Object.keys(job.labels ?? {}).length
      ? Object.entries(job.labels).map(([k, v]) => h('a', {class: 'label', href: `#/jobs?label=${encodeURIComponent(`${k}=${v}`)}`}, `${k}=${v}`)) : null],
    ['Manifest', link(job.outputs?.manifest_url)],
    ['Playback', link(job.outputs?.playback_url)],
    ['Frames encoded', r.frames_encoded !== undefined ? String(r.frames_encoded) : null],
    ['Media duration', r.duration_seconds !== undefined ? fmtDuration(r.duration_seconds) : null],
    ['Output size', r.output_size_bytes !== undefined ? fmtBytes(r.output_size_bytes) : null],
    ['Pieces', job.pieces !== undefined ? String(job.pieces) : null],
    ['Encoder', job.encoder_build],
    ['Created', fmtTime(job.created_at)],
    ['Started', job.started_at ? fmtTime(job.started_at) : null],
    ['Finished', job.finished_at ? fmtTime(job.finished_at) : null],
    ['Error', job.error ? h('span', {class: 'error'}, job.error) : null],
    ['Needs a person', job.needs_attention ? (job.attention_reason ?? 'yes') : null],
  ]);
}

function tasks(job, openLogs) {
  const list = job.tasks ?? [];
  if (!list.length) return h('p', {class: 'muted'}, 'No tasks yet.');
  return h('div', {id: 'tasks'}, table(['Task', 'State', 'Worker', 'Attempt', 'Progress', 'fps', 'Took', 'Log'], list.map((t) => h('tr', {dataset: {task: t.task_id}},
    h('td', {}, `${t.kind}${t.piece !== undefined && t.piece !== null ? ` ${t.piece}` : ''}`),
    h('td', {}, badge(t.state)),
    h('td', {}, t.worker ? h('a', {href: `#/workers/${encodeURIComponent(t.worker)}`}, t.worker) : '—'),
    h('td', {class: 'num'}, `${t.attempts}/${t.max_attempts}`),
    h('td', {}, progressBar(t.progress, `Progress of ${t.kind}`)),
    h('td', {class: 'num'}, t.fps ? String(t.fps) : ''),
    h('td', {class: 'nowrap'}, t.wall_ms ? fmtDuration(t.wall_ms / 1000) : ''),
    h('td', {class: 'log-cell'}, logTail(t, openLogs))))));
}

function logTail(t, openLogs) {
  const lines = Array.isArray(t.log_tail) ? t.log_tail : t.log_tail ? String(t.log_tail).split('\n') : [];
  if (!lines.length) return t.last_error ? h('span', {class: 'error'}, t.last_error) : h('span', {class: 'muted'}, '—');
  return h('details', {class: 'log', dataset: {task: t.task_id}, open: openLogs.has(t.task_id)},
    h('summary', {}, `ffmpeg log (${lines.length} lines)`),
    h('pre', {}, lines.join('\n')));
}

function events(job) {
  const list = job.events ?? [];
  if (!list.length) return h('p', {class: 'muted'}, 'No events.');
  return table(['When', 'Event', 'Task', 'Worker', 'Detail'], list.map((e) => h('tr', {},
    h('td', {class: 'nowrap'}, fmtTime(e.at)), h('td', {}, badge(e.type, 'event')), h('td', {class: 'mono'}, e.task_id ?? ''),
    h('td', {}, e.worker ?? ''), h('td', {class: 'detail'}, e.detail ?? ''))));
}

function webhooks(job) {
  const list = job.webhooks ?? [];
  if (!list.length) return h('p', {class: 'muted'}, 'No webhook deliveries.');
  return table(['Event', 'Endpoint', 'State', 'Attempts', 'Last status', 'Last error', 'Created'], list.map((d) => h('tr', {},
    h('td', {}, d.event), h('td', {class: 'path'}, d.url), h('td', {}, badge(d.state)), h('td', {class: 'num'}, String(d.attempts)),
    h('td', {class: 'num'}, d.last_status ? String(d.last_status) : ''), h('td', {}, d.last_error ?? ''), h('td', {class: 'nowrap'}, fmtTime(d.created_at)))));
}
