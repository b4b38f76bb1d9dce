// The one way the dashboard talks to the coordinator: JSON over fetch with the session cookie, the
// CSRF header on every change, and a 401 anywhere sends the user back to the sign-in page.

let session = null;   // {name, role, csrf_token, expires_at} once signed in

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `the coordinator answered HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.field = body?.error?.field;
  }
}

export async function api(path, {method = 'GET', body, signal} = {}) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && session?.csrf_token) headers['X-Spool-CSRF'] = session.csrf_token;
  let reply;
  try {
    reply = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', cache: 'no-store', signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, {error: {message: 'the coordinator cannot be reached'}});
  }
  const text = reply.status === 204 ? '' : await reply.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (reply.status === 401 && !(method === 'POST' && path === '/api/v1/session')) {
    session = null;
    window.dispatchEvent(new CustomEvent('spool:unauthorized'));
  }
  if (!reply.ok) throw new ApiError(reply.status, data);
  return data;
}

export const post = (path, body) => api(path, {method: 'POST', body: body ?? {}});

export async function signIn(token) {
  session = await api('/api/v1/session', {method: 'POST', body: {token}});
  return session;
}

/** The session the cookie holds, or null when there is none (the page was reloaded, or it expired). */
export async function restore() {
  try {
    session = await api('/api/v1/session');
    return session;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signOut() {
  try { await api('/api/v1/session', {method: 'DELETE'}); } catch { /* gone already */ }
  session = null;
}

export const current = () => session;

/** Whether this session's token may change things (submit or admin); a read token sees, and is refused. */
export const canAct = () => session !== null && session.role !== 'read';

export const READ_ONLY_NOTE = 'Your token is read-only: actions are disabled.';
