// The desk's screen: hash routes (#/board, #/requests/SR-…, #/reports, #/calendars), a
// sign-in form, the language switch and the live connection. No build step: plain ES modules.
import { can, loadSession, onSignedOut, session, signIn, signOut } from './api.js';
import { boardView } from './board.js';
import { calendarsView } from './calendars.js';
import { errorBox, h, mount } from './dom.js';
import { lang, setLang, t, translateStatic } from './i18n.js';
import { connectLive, disconnectLive } from './live.js';
import { reportsView } from './reports.js';
import { requestView } from './request.js';

const main = document.getElementById('main');
let teardown = null;

function header() {
  translateStatic();
  const langButton = document.getElementById('lang');
  langButton.textContent = t('switchLang');
  langButton.setAttribute('aria-label', t('switchLangLabel'));
  langButton.setAttribute('lang', lang === 'ru' ? 'en' : 'ru');
  const signedIn = session.principal != null;
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('signout').hidden = !signedIn;
  const p = session.principal;
  document.getElementById('who').textContent = p ? `${p.name} · ${p.role}${p.customerScope ? ` · ${p.customerScope}` : ''}` : '';
  for (const a of document.querySelectorAll('#nav a')) {
    const current = location.hash.startsWith(a.getAttribute('href'));
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.querySelector('#nav a[href="#/reports"]').hidden = !can.reports();
  document.querySelector('#nav a[href="#/calendars"]').hidden = !can.calendars();
}

function signInView() {
  const input = h('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false', 'aria-describedby': 'key-help' });
  const message = h('div', { 'aria-live': 'assertive' });
  const form = h(
    'form',
    { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, t('signin.title')),
    h('label', { for: 'key' }, t('signin.key')),
    input,
    h('p', { id: 'key-help', class: 'note' }, t('signin.help')),
    h('button', { type: 'submit' }, t('signin.submit')),
    message,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await signIn(input.value.trim());
      input.value = '';
      if (!location.hash || location.hash === '#/' || location.hash === '#/signin') location.hash = '#/board';
      await route();
    } catch (err) {
      mount(message, h('p', { class: 'error', role: 'alert' }, `${t('signin.failed')}: ${err.message}`));
    }
  });
  mount(main, form);
  input.focus();
}

async function route() {
  teardown?.();
  teardown = null;
  header();
  if (!session.principal) {
    disconnectLive();
    signInView();
    return;
  }
  connectLive();
  const hash = location.hash || '#/board';
  try {
    const m = /^#\/requests\/([A-Za-z0-9-]+)/.exec(hash);
    if (m) teardown = requestView(main, m[1]);
    else if (hash.startsWith('#/reports')) teardown = reportsView(main);
    else if (hash.startsWith('#/calendars')) teardown = calendarsView(main);
    else teardown = boardView(main);
  } catch (err) {
    mount(main, errorBox(err));
  }
}

document.getElementById('lang').addEventListener('click', () => {
  setLang(lang === 'ru' ? 'en' : 'ru');
  void route();
});
document.getElementById('signout').addEventListener('click', async () => {
  await signOut();
  disconnectLive();
  location.hash = '#/signin';
  await route();
});
onSignedOut.addEventListener('signedout', () => {
  session.principal = null;
  void route();
});
window.addEventListener('hashchange', () => void route());

setLang(lang);
await loadSession();
await route();
