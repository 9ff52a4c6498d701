// The request page's business timeline in words (web/timeline.js): each domain event says what
// happened in the reader's language, with its instants in the calendar's zone; raw event names
// and epoch milliseconds never reach the page.
import { describeEvent, describeNotification } from '../../../web/timeline.js';
import { setLang } from '../../../web/i18n.js';
import { TIMELINE_EVENT_TYPES } from '../../../domain/request/timeline';

const ZONE = 'Europe/Moscow';
const due = Date.parse('2026-12-01T09:00:00Z'); // 12:00 in Moscow

beforeAll(() => {
  // The module keeps the choice in localStorage and on <html lang>; the unit test has neither.
  Object.assign(globalThis, { localStorage: { getItem: () => null, setItem: () => undefined }, document: { documentElement: {} } });
});
afterEach(() => setLang('en'));

describe('describeEvent', () => {
  it('names every timeline event type in words, in English and Russian, never by its raw name', () => {
    for (const lang of ['en', 'ru'] as const) {
      setLang(lang);
      for (const type of TIMELINE_EVENT_TYPES) {
        const { title } = describeEvent({ type, data: {} }, ZONE);
        expect(title).not.toBe(type);
        expect(title).not.toMatch(/_|tl\./);
      }
    }
  });

  it('a registration gives its level and deadlines in the calendar zone, first response first', () => {
    const line = describeEvent({ type: 'registered', data: { level: 'warranty', dueAt: { resolution: due + 3_600_000, first_response: due } } }, ZONE);
    expect(line.title).toBe('Registered on the warranty level');
    expect(line.detail).toMatch(/^First response due 01 Dec 2026, 12:00 GMT\+3; Resolution due 01 Dec 2026, 13:00 GMT\+3$/);
  });

  it('warnings and breaches stand out and say which clock; escalations count steps from 1', () => {
    expect(describeEvent({ type: 'sla_warning', data: { clock: 'first_response', fraction: 0.75, dueAt: due } }, ZONE)).toEqual({
      title: 'SLA warning: First response has used 75 % of its target',
      detail: 'due 01 Dec 2026, 12:00 GMT+3',
      tone: 'risk',
    });
    expect(describeEvent({ type: 'sla_breached', data: { clock: 'resolution', dueAt: due } }, ZONE)).toMatchObject({ title: 'SLA breached: Resolution', tone: 'breached' });
    expect(describeEvent({ type: 'escalated', data: { clock: 'resolution', step: 0, notify: ['team-lead'] } }, ZONE)).toMatchObject({
      title: 'Escalated (Resolution, step 1)',
      detail: 'told: team-lead',
    });
  });

  it('replies and notes carry their text; waits their reason and planned instants', () => {
    expect(describeEvent({ type: 'replied', data: { body: 'Please send the log' } }, ZONE)).toMatchObject({ title: 'Replied to the customer', detail: 'Please send the log' });
    expect(describeEvent({ type: 'waiting_on_third_party', data: { party: 'developers', paused: [] } }, ZONE).title).toBe('Waiting on developers');
    expect(describeEvent({ type: 'waiting_on_customer', data: { note: 'asked for the log', remindAt: due } }, ZONE).detail).toBe('asked for the log · reminder 01 Dec 2026, 12:00 GMT+3');
  });

  it('speaks Russian when the reader chose it', () => {
    setLang('ru');
    expect(describeEvent({ type: 'registered', data: { level: 'individual' } }, ZONE).title).toBe('Зарегистрировано, уровень «индивидуальный»');
    expect(describeEvent({ type: 'cancelled', data: { reason: 'duplicate' } }, ZONE).title).toBe('Отменено: дубликат');
    expect(describeEvent({ type: 'sla_breached', data: { clock: 'first_response' } }, ZONE).title).toBe('Нарушение SLA: Первый ответ');
  });

  it('a value the screen has no word for is shown as it is', () => {
    expect(describeEvent({ type: 'priority_changed', data: { from: 'normal', to: 'urgent-ish' } }, ZONE).title).toBe('Priority changed from normal to urgent-ish');
  });
});

describe('describeNotification', () => {
  it('says to whom, how, and whether it arrived; a failure stands out', () => {
    expect(describeNotification({ recipient: 'Ivan', channel: 'email', subject: 'Breached', status: 'delivered', lastError: null })).toEqual({
      title: 'Notified Ivan by e-mail',
      detail: 'Breached · delivered',
      tone: undefined,
    });
    expect(describeNotification({ recipient: 'Ops', channel: 'webhook', subject: 'Breached', status: 'failed', lastError: 'HTTP 500' })).toMatchObject({ detail: 'Breached · failed (HTTP 500)', tone: 'breached' });
  });
});
