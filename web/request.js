// One request: clocks (target, used, left, pauses, breaches), the pinned policy in words, the
// timeline merged with the workflow history, notifications, and for agent keys the actions
// (sent to the same /v1 routes as any integration, so the rules and errors are the API's).
import { api, can, session } from './api.js';
import { bindCountdown, stale, tick } from './countdown.js';
import { errorBox, h, mount } from './dom.js';
import { formatDuration, formatHours, formatInstant, t } from './i18n.js';
import { onLive } from './live.js';

function policyInWords(p) {
  const lines = [t('policy.level', { level: t(`level.${p.level}`), version: p.catalogueVersion })];
  if (p.contractId) lines.push(t('policy.contract', { id: p.contractId }));
  if (p.targets.firstResponseHours != null) lines.push(t('policy.first', { h: formatHours(p.targets.firstResponseHours) }));
  if (p.targets.resolutionHours != null) lines.push(t('policy.resolution', { h: formatHours(p.targets.resolutionHours) }));
  if (p.targets.firstResponseHours == null && p.targets.resolutionHours == null) lines.push(t('policy.noTargets'));
  lines.push(t('policy.calendar', { id: p.calendar.id, version: p.calendar.versionId, zone: p.calendar.timezone }));
  const fractions = (p.warnings ?? []).map((w) => (typeof w === 'number' ? w : w.fraction)).filter((f) => typeof f === 'number');
  if (fractions.length) lines.push(t('policy.warnings', { list: fractions.map((f) => `${Math.round(f * 100)} %`).join(', ') }));
  for (const e of p.escalation ?? []) lines.push(t('policy.escalation', { h: formatHours(e.afterBreachHours), who: [].concat(e.notify ?? []).join(', ') }));
  if (p.autoCloseWorkingDays != null) lines.push(t('policy.autoClose', { d: p.autoCloseWorkingDays }));
  return h('ul', { class: 'policy' }, lines.map((l) => h('li', {}, l)), (p.reasons ?? []).map((r) => h('li', { class: 'muted' }, typeof r === 'string' ? r : (r.message ?? JSON.stringify(r)))));
}

const ACTIONS = {
  responses: [['visibility', 'select'], ['body', 'textarea']],
  'wait-on-customer': [['note', 'textarea']],
  resolve: [['summary', 'textarea']],
  close: [['note', 'textarea']],
  reopen: [['note', 'textarea']],
  assignment: [['agent', 'input'], ['group', 'input']],
};

function actionsForm(id, onDone) {
  const kind = h('select', { id: 'action-kind', name: 'kind' }, Object.keys(ACTIONS).map((k) => h('option', { value: k }, t(`action.${k}`))));
  const author = h('input', { id: 'action-author', name: 'author', value: session.principal?.name ?? '', required: true });
  const fields = h('div', { class: 'fields' });
  const message = h('div', { 'aria-live': 'polite' });
  const label = (name) => (name === 'summary' || name === 'note' ? t('action.body') : t(`action.${name}`));
  const drawFields = () =>
    mount(
      fields,
      ACTIONS[kind.value].map(([name, type]) => {
        const fid = `action-${name}`;
        const control =
          type === 'select'
            ? h('select', { id: fid, name }, h('option', { value: 'public' }, t('action.public')), h('option', { value: 'internal' }, t('action.internal')))
            : type === 'textarea'
              ? h('textarea', { id: fid, name, rows: 3 })
              : h('input', { id: fid, name });
        return h('div', { class: 'field' }, h('label', { for: fid }, label(name)), control);
      }),
    );
  kind.addEventListener('change', drawFields);
  drawFields();
  const form = h(
    'form',
    { class: 'actions', 'aria-labelledby': 'actions-title' },
    h('h2', { id: 'actions-title' }, t('request.actions')),
    h('div', { class: 'field' }, h('label', { for: 'action-kind' }, t('action.kind')), kind),
    h('div', { class: 'field' }, h('label', { for: 'action-author' }, t('action.author')), author),
    fields,
    h('button', { type: 'submit' }, t('action.submit')),
    message,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { author: author.value.trim() };
    for (const [name] of ACTIONS[kind.value]) {
      const v = form.elements[name].value;
      if (v !== '') body[name] = v;
    }
    try {
      const r = await api('POST', `/v1/requests/${id}/${kind.value}`, body);
      mount(message, h('p', { class: 'ok', role: 'status' }, t('action.done', { state: t(`state.${r.state}`) })));
      onDone();
    } catch (err) {
      mount(message, errorBox(err));
    }
  });
  return form;
}

function timelineList(history, zone) {
  if (!history) return h('p', { class: 'note' }, t('request.noHistory'));
  const describe = (item) => {
    const d = item.source === 'domain' ? item.data : item.detail;
    if (!d || typeof d !== 'object') return '';
    const parts = Object.entries(d)
      .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
      .slice(0, 5)
      .map(([k, v]) => `${k}: ${v}`);
    return parts.join(' · ');
  };
  return h(
    'div',
    {},
    history.temporal && history.temporal.available === false ? h('p', { class: 'note' }, t('request.timelineUnavailable', { reason: history.temporal.reason ?? '' })) : null,
    h(
      'ol',
      { class: 'timeline', 'aria-label': t('request.timeline') },
      history.items.map((item) =>
        h(
          'li',
          { class: item.source },
          h('time', { datetime: item.at ?? '' }, formatInstant(item.at, zone)),
          ' ',
          h('span', { class: `src ${item.source}` }, t(`src.${item.source}`)),
          ' ',
          h('strong', {}, item.type),
          item.actor ? ` — ${item.actor}` : '',
          h('div', { class: 'muted' }, describe(item)),
        ),
      ),
    ),
  );
}

function notificationsTable(list) {
  if (!list || list.items.length === 0) return null;
  return [
    h('h2', { id: 'notif-title' }, t('notif.title')),
    h(
    'table',
    { class: 'compact', 'aria-labelledby': 'notif-title' },
    h('thead', {}, h('tr', {}, ['kind', 'channel', 'recipient', 'subject', 'status', 'attempts', 'delivered'].map((c) => h('th', { scope: 'col' }, t(`notif.${c}`))))),
    h(
      'tbody',
      {},
      list.items.map((n) =>
        h('tr', {}, h('td', {}, n.kind), h('td', {}, n.channel), h('td', {}, n.recipient ?? ''), h('td', {}, n.subject), h('td', {}, n.status + (n.lastError ? ` (${n.lastError})` : '')), h('td', {}, n.attempts), h('td', {}, formatInstant(n.deliveredAt, list.timezone))),
      ),
    ),
    ),
  ];
}

export function requestView(main, id) {
  let renders = [];
  let snapshot = null;
  let stopped = false;
  const actions = can.act() ? actionsForm(id, () => void load()) : null;
  const body = h('div', {}, t('loading'));
  const lower = h('div');
  // Actions sit between what the request is and its long timeline.
  mount(main, h('p', {}, h('a', { href: '#/board' }, t('request.back'))), body, actions, lower);

  const load = async () => {
    if (stopped) return;
    try {
      const [live, full, history, notifications] = await Promise.all([
        api('GET', `/ui/api/requests/${id}`),
        api('GET', `/v1/requests/${id}`),
        can.history() ? api('GET', `/v1/requests/${id}/history`) : Promise.resolve(null),
        can.history() ? api('GET', `/ui/api/requests/${id}/notifications`) : Promise.resolve(null),
      ]);
      if (stopped) return;
      const item = live.item;
      const zone = item.calendar.timezone;
      snapshot = { now: live.now, receivedAt: performance.now(), window: item.window, zone };
      renders = [];
      const fullClock = (kind) => full.clocks.find((c) => c.kind === kind) ?? {};
      const clockRows = item.clocks.map((c) => {
        const f = fullClock(c.kind);
        const cell = bindCountdown(h('td', { class: 'countdown', dataset: { clock: c.kind } }), c, snapshot, renders);
        return h(
          'tr',
          {},
          h('th', { scope: 'row' }, t(`clock.${c.kind}`)),
          h('td', {}, t(`status.${c.status}`)),
          h('td', {}, c.targetMs == null ? t('none') : formatDuration(c.targetMs)),
          h('td', {}, formatDuration(c.usedMs)),
          cell,
          h('td', {}, h('time', { datetime: c.dueAt ?? '' }, formatInstant(c.dueAt, zone))),
          h('td', {}, (f.pauses ?? []).length ? h('ul', {}, f.pauses.map((p) => h('li', {}, `${formatInstant(p.from, zone)} – ${p.to ? formatInstant(p.to, zone) : '…'} (${p.reason})`))) : t('none')),
          h('td', {}, formatInstant(c.breachedAt, zone)),
        );
      });
      const temporalUi = full.links?.temporalUi;
      mount(
        body,
        h('h1', {}, h('span', { class: 'rid' }, item.id), ' ', item.subject),
        h('div', { class: 'flags' }, item.breached && h('span', { class: 'badge breached' }, t('flag.breached')), item.atRisk && h('span', { class: 'badge risk' }, t('flag.atRisk'))),
        h(
          'dl',
          { class: 'meta' },
          [
            [t('board.col.level'), t(`level.${item.level}`)],
            [t('board.col.state'), t(`state.${item.state}`)],
            [t('request.customer'), item.customerId ?? t('none')],
            [t('request.assignee'), item.assignee.agent ?? item.assignee.group ?? t('unassigned')],
            [t('request.priority'), item.priority ?? t('none')],
            [t('request.registered'), formatInstant(item.registeredAt, zone)],
            [t('request.ref'), item.externalRef ?? t('none')],
          ].map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
        ),
        h('h2', {}, t('request.clocks')),
        h(
          'table',
          { class: 'compact clocks-table' },
          h('thead', {}, h('tr', {}, ['clock', 'status', 'target', 'used', 'left', 'due', 'pauses', 'breached'].map((c) => h('th', { scope: 'col' }, t(`request.col.${c}`))))),
          h('tbody', {}, clockRows),
        ),
        h('h2', {}, t('request.policy')),
        policyInWords(full.policy),
        temporalUi ? h('p', {}, h('a', { href: temporalUi, target: '_blank', rel: 'noopener' }, t('request.temporal'))) : null,
      );
      mount(lower, h('h2', {}, t('request.timeline')), timelineList(history, zone), notificationsTable(notifications));
    } catch (err) {
      mount(body, errorBox(err));
    }
  };

  const offLive = onLive((e) => {
    if (e.kind === 'resync' || e.id === id) void load();
  });
  const offTick = tick(() => {
    for (const r of renders) r();
    if (snapshot && !snapshot.reloading && stale(snapshot)) {
      snapshot.reloading = true;
      void load();
    }
  });
  const minute = setInterval(() => void load(), 60_000);
  void load();
  return () => {
    stopped = true;
    offLive();
    offTick();
    clearInterval(minute);
  };
}
