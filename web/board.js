// The board: open requests, breached first, then by nearest deadline; every clock counts down
// live; at-risk, breached and paused rows stand out (colour and a word, never colour alone).
import { api, session } from './api.js';
import { bindCountdown, stale, tick } from './countdown.js';
import { errorBox, h, hashQuery, mount } from './dom.js';
import { formatInstant, t } from './i18n.js';
import { onLive } from './live.js';

const LEVELS = ['initial', 'basic', 'warranty', 'individual', 'pilot'];
const STATES = ['registered', 'in_progress', 'waiting_on_customer', 'waiting_on_third_party', 'resolved', 'closed', 'cancelled'];
const FILTERS = ['q', 'level', 'customerId', 'officeId', 'assignee', 'state', 'breached', 'atRisk'];

function filterForm(values, apply) {
  // Labels point at their controls (for/id) rather than wrapping them, so a select's options are not part of its name.
  const field = (name, label, control) => h('div', { class: 'field' }, h('label', { for: `f-${name}` }, label), control);
  const text = (name, label) => field(name, label, h('input', { id: `f-${name}`, name, type: name === 'q' ? 'search' : 'text', value: values[name] ?? '', autocomplete: 'off' }));
  const select = (name, label, options, anyLabel) =>
    field(name, label, h('select', { id: `f-${name}`, name }, h('option', { value: '' }, anyLabel), options.map((o) => h('option', { value: o, selected: values[name] === o }, t(`${name}.${o}`)))));
  const check = (name, label) => h('div', { class: 'check' }, h('input', { id: `f-${name}`, type: 'checkbox', name, checked: values[name] === 'true' }), h('label', { for: `f-${name}` }, label));
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filter.legend') },
    text('q', t('filter.q')),
    select('level', t('filter.level'), LEVELS, t('filter.any')),
    text('customerId', t('filter.customer')),
    text('officeId', t('filter.office')),
    text('assignee', t('filter.assignee')),
    select('state', t('filter.state'), STATES, t('filter.open')),
    check('breached', t('filter.breached')),
    check('atRisk', t('filter.atRisk')),
    h('button', { type: 'submit' }, t('filter.apply')),
    h('button', { type: 'button', class: 'link', onclick: () => apply({}) }, t('filter.reset')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const fd = new FormData(form);
    const next = {};
    for (const k of FILTERS) {
      const v = fd.get(k);
      if (k === 'breached' || k === 'atRisk') {
        if (v) next[k] = 'true';
      } else if (v) next[k] = String(v).trim();
    }
    apply(next);
  });
  return form;
}

function flags(item) {
  const paused = item.clocks.some((c) => c.status === 'paused');
  return [
    item.breached && h('span', { class: 'badge breached' }, t('flag.breached')),
    item.atRisk && h('span', { class: 'badge risk' }, t('flag.atRisk')),
    paused && h('span', { class: 'badge paused' }, t('flag.paused')),
  ];
}

function clockCell(item, snapshot, renders) {
  const regulated = item.clocks.filter((c) => c.status !== 'not_regulated');
  return h(
    'ul',
    { class: 'clocks' },
    (regulated.length ? regulated : item.clocks).map((c) => {
      const countdown = bindCountdown(h('span', { class: 'countdown', dataset: { clock: c.kind } }), c, snapshot, renders);
      return h('li', {}, h('span', { class: 'clock-kind' }, t(`clock.${c.kind}`)), ' ', c.dueAt ? [h('time', { datetime: c.dueAt }, formatInstant(c.dueAt, item.calendar.timezone)), ' · '] : null, countdown);
    }),
  );
}

function row(item, data, receivedAt, renders) {
  const snapshot = { now: data.now, receivedAt, window: item.window, zone: item.calendar.timezone };
  const tone = item.breached ? 'breached' : item.atRisk ? 'risk' : item.clocks.some((c) => c.status === 'paused') ? 'paused' : '';
  // Each cell names its column (data-label): a narrow window shows a row as a card (style.css).
  const cell = (column, ...content) => h('td', { class: column, dataset: { label: t(`board.col.${column}`) } }, ...content);
  return h(
    'tr',
    { class: tone, dataset: { id: item.id } },
    cell('request', h('a', { href: `#/requests/${item.id}`, class: 'req' }, h('span', { class: 'rid' }, item.id), h('span', { class: 'subject' }, item.subject)), h('div', { class: 'flags' }, flags(item))),
    cell('level', t(`level.${item.level}`)),
    cell('customer', item.customerId ?? t('none')),
    cell('state', t(`state.${item.state}`)),
    cell('assignee', item.assignee.agent ?? item.assignee.group ?? t('unassigned')),
    cell('clocks', clockCell(item, snapshot, renders)),
  );
}

/**
 * Calendar re-plans running now or finished within the hour: a holiday decree moves every open
 * deadline on its calendar at once, and the desk should see it happening. Vendor-wide
 * operations keys only (it counts every customer's requests); polled every 2 s while one runs.
 */
function replanBanner() {
  const el = h('div', { class: 'replans', role: 'status', 'aria-live': 'polite' });
  const p = session.principal;
  if (!p || !['operations', 'admin'].includes(p.role) || p.customerScope) return { el, load: async () => false };
  const line = (r) => {
    const pct = r.total ? Math.floor((100 * r.done) / r.total) : 100;
    const failed = r.failed ? ` ${t('replan.failed', { n: r.failed })}` : '';
    return r.status === 'running'
      ? h('p', { class: 'replan running' }, t('replan.running', { calendar: r.calendarId, version: r.versionId, done: r.done, total: r.total, pct }), failed, ' ', h('progress', { max: r.total || 1, value: r.done }))
      : h('p', { class: 'replan finished' }, t('replan.finished', { calendar: r.calendarId, version: r.versionId, n: r.done, at: formatInstant(r.finishedAt, r.timezone ?? undefined) }), failed);
  };
  return {
    el,
    /** Redraws; true while a re-plan is running. */
    async load() {
      try {
        const { items } = await api('GET', '/v1/calendar-replans');
        mount(el, items.map(line));
        return items.some((r) => r.status === 'running');
      } catch {
        return false; // the board itself shows what is wrong with the connection
      }
    },
  };
}

export function boardView(main) {
  const values = hashQuery();
  const status = h('p', { class: 'counts', role: 'status' });
  const tbody = h('tbody');
  const note = h('p', { class: 'note' });
  const table = h(
    'table',
    { class: 'board', 'aria-label': t('board.title') },
    h('thead', {}, h('tr', {}, ['request', 'level', 'customer', 'state', 'assignee', 'clocks'].map((c) => h('th', { scope: 'col' }, t(`board.col.${c}`))))),
    tbody,
  );
  const apply = (next) => {
    const qs = new URLSearchParams(next).toString();
    location.hash = `#/board${qs ? `?${qs}` : ''}`;
  };
  // The heading says what is shown: open requests by default, else the states filtered on.
  const title = values.state ? t('board.titleStates', { states: values.state.split(',').map((st) => t(`state.${st}`)).join(', ') }) : t('board.title');
  // A narrow window shows each row as a card rather than squeezing its clocks into a column of words (style.css).
  const replans = replanBanner();
  mount(main, h('h1', {}, title), replans.el, filterForm(values, apply), status, h('div', { class: 'scroll' }, table), note);

  let renders = [];
  let items = [];
  let loading = null;
  let again = false;
  let stopped = false;
  let lastData = null;
  let lastReceivedAt = 0;

  const render = () => {
    const focusedId = document.activeElement?.closest?.('tr')?.dataset.id;
    renders = [];
    mount(tbody, items.length ? items.map((it) => row(it, lastData, lastReceivedAt, renders)) : h('tr', {}, h('td', { colspan: 6 }, t('board.empty'))));
    if (focusedId) tbody.querySelector(`tr[data-id="${CSS.escape(focusedId)}"] a`)?.focus();
  };

  // Re-read with the board (a re-plan's writes push live events) and every 2 s while one runs.
  let replanTimer = null;
  let replanLoading = null;
  const pollReplans = () => {
    if (replanLoading || stopped) return;
    if (replanTimer) clearTimeout(replanTimer);
    replanLoading = replans.load().then((running) => {
      replanLoading = null;
      if (!stopped) replanTimer = setTimeout(pollReplans, running ? 2_000 : 60_000);
    });
  };

  const load = async () => {
    if (stopped) return;
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      try {
        const qs = new URLSearchParams(Object.entries(values).filter(([k, v]) => FILTERS.includes(k) && v)).toString();
        const data = await api('GET', `/ui/api/board${qs ? `?${qs}` : ''}`);
        lastData = data;
        lastReceivedAt = performance.now();
        items = data.items;
        status.textContent = t('board.counts', data.counts);
        pollReplans();
        note.textContent = data.counts.total > data.items.length ? t('board.truncated', { n: data.items.length }) : '';
        render();
      } catch (err) {
        mount(note, errorBox(err));
      }
    })();
    await loading;
    loading = null;
    if (again) {
      again = false;
      await load();
    }
  };

  let pending = null;
  const soon = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      void load();
    }, 50);
  };
  const offLive = onLive(() => soon());
  const offTick = tick(() => {
    for (const r of renders) r();
    if (items.some((it) => it.window && stale({ now: lastData.now, receivedAt: lastReceivedAt, window: it.window }))) soon();
  });
  const minute = setInterval(soon, 60_000);
  void load();
  return () => {
    stopped = true;
    if (replanTimer) clearTimeout(replanTimer);
    offLive();
    offTick();
    clearInterval(minute);
    if (pending) clearTimeout(pending);
  };
}
