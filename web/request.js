// One request: clocks (target, used, left, pauses, breaches), the pinned policy in words, the
// timeline merged with the workflow history, notifications, and for agent keys the actions
// (sent to the same /v1 routes as any integration, so the rules and errors are the API's).
import { api, can, session } from './api.js';
import { bindCountdown, stale, tick } from './countdown.js';
import { errorBox, h, mount } from './dom.js';
import { formatDuration, formatHours, formatInstant, t } from './i18n.js';
import { onLive } from './live.js';
import { describeEvent, describeNotification, word } from './timeline.js';

function policyInWords(p) {
  const lines = [t('policy.level', { level: t(`level.${p.level}`), version: p.catalogueVersion })];
  if (p.contractId) lines.push(t('policy.contract', { id: p.contractId }));
  if (p.targets.firstResponseHours != null) lines.push(t('policy.first', { h: formatHours(p.targets.firstResponseHours) }));
  if (p.targets.resolutionHours != null) lines.push(t('policy.resolution', { h: formatHours(p.targets.resolutionHours) }));
  if (p.targets.firstResponseHours == null && p.targets.resolutionHours == null) lines.push(t('policy.noTargets'));
  lines.push(t('policy.calendar', { id: p.calendar.id, version: p.calendar.versionId, zone: p.calendar.timezone }));
  const fractions = (p.warnings ?? []).map((w) => (typeof w === 'number' ? w : w.fraction)).filter((f) => typeof f === 'number');
  if (fractions.length) lines.push(t('policy.warnings', { list: fractions.map((f) => `${Math.round(f * 100)} %`).join(', ') }));
  for (const e of p.escalation ?? []) {
    const who = [].concat(e.notify ?? []).join(', ');
    lines.push(e.afterBreachHours ? t('policy.escalation', { h: formatHours(e.afterBreachHours), who }) : t('policy.escalationAtOnce', { who }));
  }
  if (p.autoCloseWorkingDays != null) lines.push(t('policy.autoClose', { d: p.autoCloseWorkingDays }));
  return h('ul', { class: 'policy' }, lines.map((l) => h('li', {}, l)), (p.reasons ?? []).map((r) => h('li', { class: 'muted' }, typeof r === 'string' ? r : (r.message ?? JSON.stringify(r)))));
}

const note = ['note', 'textarea', false, 'action.noteField'];
/**
 * What each action of the request's `allowedActions` asks for, and where it is sent (the same
 * /v1 routes as any integration). Fields: [name, control, required, label key, options].
 */
const ACTIONS = {
  reply: { path: 'responses', fixed: { visibility: 'public' }, fields: [['body', 'textarea', true, 'action.replyBody']] },
  note: { path: 'responses', fixed: { visibility: 'internal' }, fields: [['body', 'textarea', true, 'action.noteBody']] },
  customer_reply: { path: 'customer-replies', customer: true, fields: [['body', 'textarea', true, 'action.customerBody']] },
  wait_on_customer: { path: 'wait-on-customer', fields: [note] },
  wait_on_third_party: { path: 'wait-on-third-party', fields: [['party', 'input', false, 'action.party'], note] },
  resume: { path: 'resume', fields: [note] },
  resolve: { path: 'resolve', fields: [['summary', 'textarea', true, 'action.summary']] },
  close: { path: 'close', fields: [note] },
  reopen: { path: 'reopen', fields: [note] },
  assign: { path: 'assignment', fields: [['agent', 'input', false, 'action.agent'], ['group', 'input', false, 'action.group']] },
  set_priority: { path: 'priority', fields: [['priority', 'select', true, 'action.priority', ['critical', 'high', 'normal', 'low'], 'priority']] },
  cancel: { path: 'cancel', fields: [['reason', 'select', true, 'action.reason', ['duplicate', 'spam', 'withdrawn'], 'cancel'], note] },
};

/**
 * The actions form. It offers only what the request's state allows now (`allowedActions` of
 * the request, from the workflow's state machine); `update` is called with every fresh read.
 * The server still has the last word: a change made meanwhile is refused with its reason.
 */
function actionsForm(id, onDone) {
  const kind = h('select', { id: 'action-kind', name: 'kind' });
  const author = h('input', { id: 'action-author', name: 'author', value: session.principal?.name ?? '', required: true, autocomplete: 'off' });
  const authorLabel = h('label', { for: 'action-author' }, t('action.author'));
  const fields = h('div', { class: 'fields' });
  const message = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, t('action.submit'));
  const controls = h('div', { class: 'controls' }, h('div', { class: 'field' }, h('label', { for: 'action-kind' }, t('action.kind')), kind), h('div', { class: 'field' }, authorLabel, author), fields, submit);
  const none = h('p', { class: 'note', hidden: true });
  let current = null;
  let request = null;
  const drawFields = () => {
    const spec = ACTIONS[kind.value];
    if (!spec || kind.value === current) return;
    // The customer's reply is written by the customer, not by the agent typing it in.
    if (spec.customer) author.value = '';
    else if (ACTIONS[current]?.customer || author.value === '') author.value = session.principal?.name ?? '';
    authorLabel.textContent = spec.customer ? t('action.customerAuthor') : t('action.author');
    // The button says what it does.
    submit.textContent = t(`action.${kind.value}`);
    current = kind.value;
    mount(
      fields,
      spec.fields.map(([name, type, required, label, options, words]) => {
        const fid = `action-${name}`;
        const control =
          type === 'select'
            ? h('select', { id: fid, name, required }, options.map((o) => h('option', { value: o, selected: name === 'priority' && request?.priority === o }, t(`${words}.${o}`))))
            : type === 'textarea'
              ? h('textarea', { id: fid, name, rows: 3, required })
              : h('input', { id: fid, name, required, autocomplete: 'off' });
        return h('div', { class: 'field' }, h('label', { for: fid }, t(label)), control);
      }),
    );
  };
  kind.addEventListener('change', drawFields);
  const form = h('form', { class: 'actions', 'aria-labelledby': 'actions-title' }, h('h2', { id: 'actions-title' }, t('request.actions')), none, controls, message);
  // Nothing is offered until the request and the actions it allows are known.
  form.hidden = true;
  /** The last send whose answer never came (its body and Idempotency-Key), to resend as the same action. */
  let unanswered = null;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const sent = kind.value;
    const spec = ACTIONS[sent];
    if (!spec || submit.disabled) return;
    const body = { author: author.value.trim(), ...spec.fixed };
    for (const [name] of spec.fields) {
      const v = form.elements[name].value;
      if (v.trim() !== '') body[name] = v;
    }
    // One click, one action: a second click while the first is on its way would send it twice.
    submit.disabled = true;
    mount(message, h('p', { class: 'note' }, t('action.sending')));
    // Sending the same action again after a lost answer (network, 5xx) reuses its Idempotency-Key:
    // if the first one did land, the server answers it again instead of recording it twice.
    const attempt = JSON.stringify([spec.path, body]);
    if (unanswered?.attempt !== attempt) unanswered = { attempt, key: crypto.randomUUID() };
    try {
      const r = await api('POST', `/v1/requests/${id}/${spec.path}`, body, { 'idempotency-key': unanswered.key });
      unanswered = null;
      mount(message, h('p', { class: 'ok', role: 'status' }, t('action.done', { state: t(`state.${r.state}`) })));
      // What was sent is not left to be sent twice. A live update may already have redrawn the
      // fields for another action (this one no longer allowed): those are fresh.
      if (current === sent) {
        for (const [name, type] of spec.fields) {
          const el = form.elements.namedItem(name);
          if (el && type !== 'select') el.value = '';
        }
      }
      onDone();
    } catch (err) {
      // An answer (4xx) is final for that attempt: a new send is a new action.
      if (err.status >= 400 && err.status < 500) unanswered = null;
      mount(message, errorBox(err));
      // Refused because the request changed meanwhile: show what it allows now.
      if (err.status === 409) onDone();
    } finally {
      submit.disabled = false;
    }
  });
  /** Offers the actions the request allows now; keeps the chosen one (and what was typed) while it stays allowed. */
  form.update = (full) => {
    request = full;
    form.hidden = false;
    const allowed = (full.allowedActions ?? []).filter((a) => ACTIONS[a]);
    const chosen = allowed.includes(kind.value) ? kind.value : allowed[0];
    mount(kind, allowed.map((a) => h('option', { value: a, selected: a === chosen }, t(`action.${a}`))));
    if (chosen) kind.value = chosen;
    controls.hidden = allowed.length === 0;
    none.hidden = allowed.length > 0;
    none.textContent = t('action.none', { state: t(`state.${full.state}`) });
    if (allowed.length === 0) current = null;
    else drawFields();
  };
  return form;
}

const SHOW_WORKFLOW = 'timeline.workflow';

function timelineList(history, notifications, zone, showWorkflow, onToggle) {
  if (!history) return h('p', { class: 'note' }, t('request.noHistory'));
  // The request's own story, with its notifications where they were sent.
  const business = [
    ...history.items.filter((i) => i.source === 'domain').map((i) => ({ at: i.at, source: 'domain', actor: i.actor, ...describeEvent(i, zone), type: i.type })),
    ...(notifications?.items ?? []).map((n) => ({ at: n.createdAt, source: 'notice', ...describeNotification(n), type: `notification.${n.kind}` })),
  ];
  const workflow = history.items.filter((i) => i.source === 'temporal').map((i) => ({ at: i.at, source: 'temporal', title: i.type, detail: describeDetail(i.detail), type: i.type }));
  const items = [...business, ...(showWorkflow ? workflow : [])].sort((a, b) => Date.parse(a.at ?? 0) - Date.parse(b.at ?? 0));
  const toggle = h('input', { id: 'timeline-workflow', type: 'checkbox', checked: showWorkflow, onchange: (e) => onToggle(e.target.checked) });
  return h(
    'div',
    {},
    h('div', { class: 'check timeline-toggle' }, toggle, h('label', { for: 'timeline-workflow' }, t('timeline.showWorkflow')), !showWorkflow && workflow.length ? h('span', { class: 'muted' }, ` (${t('timeline.workflowHidden', { n: workflow.length })})`) : null),
    showWorkflow && history.temporal && history.temporal.available === false ? h('p', { class: 'note' }, t('request.timelineUnavailable', { reason: history.temporal.reason ?? '' })) : null,
    items.length === 0
      ? h('p', { class: 'note' }, t('timeline.empty'))
      : h(
          'ol',
          { class: 'timeline', 'aria-label': t('request.timeline') },
          items.map((item) =>
            h(
              'li',
              { class: [item.source, item.tone].filter(Boolean).join(' '), dataset: { type: item.type } },
              h('time', { datetime: item.at ?? '' }, formatInstant(item.at, zone)),
              ' ',
              item.source === 'temporal' ? [h('span', { class: 'src temporal' }, t('src.temporal')), ' '] : null,
              h('strong', {}, item.title),
              item.actor && item.actor !== 'system' ? ` — ${item.actor}` : '',
              item.detail ? h('div', { class: item.source === 'temporal' ? 'muted' : 'detail' }, item.detail) : null,
            ),
          ),
        ),
  );
}

/** A workflow event's details in one line (for whoever debugs the workflow). */
function describeDetail(d) {
  if (!d || typeof d !== 'object') return '';
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ');
}

function notificationsTable(list) {
  if (!list || list.items.length === 0) return null;
  return [
    h('h2', { id: 'notif-title' }, t('notif.title')),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'compact', 'aria-labelledby': 'notif-title' },
        h('thead', {}, h('tr', {}, ['kind', 'channel', 'recipient', 'subject', 'status', 'attempts', 'delivered'].map((c) => h('th', { scope: 'col' }, t(`notif.${c}`))))),
        h(
          'tbody',
          {},
          list.items.map((n) =>
            h('tr', {}, h('td', {}, word('notifKind', n.kind)), h('td', {}, word('channel', n.channel)), h('td', {}, n.recipient ?? ''), h('td', {}, n.subject), h('td', {}, word('delivery', n.status) + (n.lastError ? ` (${n.lastError})` : '')), h('td', {}, n.attempts), h('td', {}, formatInstant(n.deliveredAt, list.timezone))),
          ),
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

  let lastTimeline = null;
  const drawTimeline = () => {
    if (!lastTimeline) return;
    const { history, notifications, zone } = lastTimeline;
    const showWorkflow = localStorage.getItem(SHOW_WORKFLOW) === 'true';
    const onToggle = (on) => {
      localStorage.setItem(SHOW_WORKFLOW, String(on));
      drawTimeline();
    };
    // A redraw (a toggle, a push) keeps the keyboard focus on the switch if it was there.
    const focused = document.activeElement?.id === 'timeline-workflow';
    mount(lower, h('h2', {}, t('request.timeline')), timelineList(history, notifications, zone, showWorkflow, onToggle), notificationsTable(notifications));
    if (focused) document.getElementById('timeline-workflow')?.focus();
  };

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
          h('td', {}, (f.pauses ?? []).length ? h('ul', {}, f.pauses.map((p) => h('li', {}, `${formatInstant(p.from, zone)} – ${p.to ? formatInstant(p.to, zone) : '…'} (${t(`state.${p.reason}`)})`))) : t('none')),
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
            [t('request.assignee'), [item.assignee.agent, item.assignee.group && t('tl.group', { group: item.assignee.group })].filter(Boolean).join(', ') || t('unassigned')],
            [t('request.priority'), item.priority ? t(`priority.${item.priority}`) : t('none')],
            [t('request.product'), full.productId ?? t('none')],
            [t('request.channel'), [full.channel, full.category].filter(Boolean).join(' · ') || t('none')],
            [t('request.reporter'), full.reporter ?? t('none')],
            [t('request.registered'), formatInstant(item.registeredAt, zone)],
            // Clocks start at the receipt; say so when it came before the registration.
            full.receivedAt && full.receivedAt !== full.registeredAt ? [t('request.received'), formatInstant(full.receivedAt, zone)] : null,
            [t('request.ref'), item.externalRef ?? t('none')],
            full.followUpOf ? [t('request.followUpOf'), h('a', { href: `#/requests/${full.followUpOf}` }, full.followUpOf)] : null,
          ]
            .filter(Boolean)
            .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
        ),
        // What the customer wrote: the agent's starting point.
        full.description ? [h('h2', {}, t('request.description')), h('p', { class: 'description' }, full.description)] : null,
        h('h2', {}, t('request.clocks')),
        // A narrow window scrolls the table inside its box; the page itself keeps its width.
        h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { class: 'compact clocks-table' },
            h('thead', {}, h('tr', {}, ['clock', 'status', 'target', 'used', 'left', 'due', 'pauses', 'breached'].map((c) => h('th', { scope: 'col' }, t(`request.col.${c}`))))),
            h('tbody', {}, clockRows),
          ),
        ),
        h('h2', {}, t('request.policy')),
        policyInWords(full.policy),
        temporalUi && can.history() ? h('p', {}, h('a', { href: temporalUi, target: '_blank', rel: 'noopener' }, t('request.temporal'))) : null,
      );
      actions?.update(full);
      lastTimeline = { history, notifications, zone };
      drawTimeline();
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
