// Calls the product's own API with the session cookie; changes carry the anti-CSRF token.
export const session = { principal: null, csrfToken: null, temporalUi: null };

export class ApiError extends Error {
  constructor(status, problem) {
    const fields = (problem?.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
    super(problem?.detail ? `${problem.detail}${fields && !problem.detail.includes(fields) ? ` (${fields})` : ''}` : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Fired when the session is gone (401): the app shows the sign-in form. */
export const onSignedOut = new EventTarget();

export async function api(method, path, body, extraHeaders = {}) {
  const headers = { accept: 'application/json', ...extraHeaders };
  if (method !== 'GET') headers['x-csrf-token'] = session.csrfToken ?? '';
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (res.status === 401 && path !== '/ui/session') onSignedOut.dispatchEvent(new Event('signedout'));
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export async function signIn(key) {
  const res = await fetch('/ui/session', { method: 'POST', headers: { authorization: `Bearer ${key}`, accept: 'application/json' }, credentials: 'same-origin' });
  const data = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, data);
  return loadSession();
}

/** The current session, or null when not signed in. */
export async function loadSession() {
  const res = await fetch('/ui/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) return null;
  const data = await res.json();
  Object.assign(session, data);
  return data;
}

export async function signOut() {
  await api('DELETE', '/ui/session').catch(() => undefined);
  session.principal = null;
  session.csrfToken = null;
}

export const can = {
  act: () => ['agent', 'admin'].includes(session.principal?.role),
  history: () => ['agent', 'operations', 'admin'].includes(session.principal?.role),
  reports: () => ['operations', 'admin'].includes(session.principal?.role) || session.principal?.customerScope != null,
  calendars: () => ['agent', 'operations', 'admin'].includes(session.principal?.role),
};
