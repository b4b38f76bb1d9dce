// The player for a completed HLS ladder: hls.js (vendored) with a rung selector, or the browser's own HLS.
import {h, fill} from '../dom.js';

// hls.js (its ES module build) is fetched only when a job has something to play
const loadHls = () => import('../vendor/hls.js/1.4.12/dist/hls.mjs').then((m) => m.default);

/** A player box for url; returns {el, destroy}. */
export function player(url) {
  const video = h('video', {id: 'player', controls: true, muted: true, playsinline: true, preload: 'metadata'});
  video.muted = true;
  const rung = h('select', {id: 'rung', disabled: true}, h('option', {value: '-1'}, 'auto'));
  const note = h('p', {class: 'muted', id: 'player-note', 'aria-live': 'polite'});
  const el = h('div', {class: 'player'}, video,
    h('div', {class: 'player-controls'}, h('label', {for: 'rung'}, 'Rung'), rung, note));
  let hls = null;
  let gone = false;
  loadHls().then((Hls) => {
    if (gone) return;
    if (Hls.isSupported()) {
      hls = new Hls({enableWorker: true});
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        fill(rung, h('option', {value: '-1'}, 'auto'), hls.levels.map((level, i) =>
          h('option', {value: String(i)}, `${level.height ? `${level.height}p` : `rung ${i + 1}`}${level.bitrate ? ` · ${Math.round(level.bitrate / 1000)} kb/s` : ''}`)));
        rung.disabled = false;
        note.textContent = `${hls.levels.length} rung(s)`;
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, (_, data) => {
        const level = hls.levels[data.level];
        if (level) note.textContent = `Playing ${level.height ? `${level.height}p` : `rung ${data.level + 1}`}`;
      });
      hls.on(Hls.Events.ERROR, (_, data) => {
        if (data.fatal) note.textContent = `Playback failed: ${data.details}`;
      });
      rung.addEventListener('change', () => {
        // currentLevel switches now (flushing the buffer); -1 hands the choice back to hls.js's ABR
        hls.currentLevel = Number(rung.value);
      });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = url;
      note.textContent = 'This browser plays HLS itself and picks the rung.';
    } else {
      note.textContent = 'This browser cannot play HLS.';
    }
  }).catch((e) => { note.textContent = `The player could not load: ${e.message}`; });
  return {el, destroy: () => { gone = true; if (hls) hls.destroy(); video.removeAttribute('src'); video.load(); }};
}
