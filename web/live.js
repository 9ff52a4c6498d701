// Server-Sent Events from /ui/events: each names a changed request the key may see; the
// views re-read through the API. EventSource reconnects by itself; a 401 ends it.
import { t } from './i18n.js';

const listeners = new Set();
let source = null;

function status(on) {
  const el = document.getElementById('live');
  el.textContent = on ? `● ${t('live.on')}` : `○ ${t('live.off')}`;
  el.classList.toggle('off', !on);
  el.dataset.state = on ? 'on' : 'off';
}

export function connectLive() {
  if (source) return;
  source = new EventSource('/ui/events');
  source.addEventListener('ready', () => {
    status(true);
    for (const l of listeners) l({ kind: 'resync' });
  });
  source.addEventListener('changed', (e) => {
    const { id } = JSON.parse(e.data);
    for (const l of listeners) l({ kind: 'changed', id });
  });
  source.addEventListener('resync', () => {
    for (const l of listeners) l({ kind: 'resync' });
  });
  source.addEventListener('error', () => status(false));
}

export function disconnectLive() {
  source?.close();
  source = null;
  document.getElementById('live').textContent = '';
}

export function onLive(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
