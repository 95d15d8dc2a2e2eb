// The REST API as the dashboard uses it: every call carries the bearer token from POST /api/v5/login.
const BASE = '/api/v5';
const SESSION_KEY = 'linkgate.session';

/** An API refusal: HTTP status, EMQX-style code, message and the field errors parsed out of it. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fieldErrors(message);
  }
}

let onUnauthorized = () => {};

/** Called (once per expired or revoked session) when the API answers 401 to a logged-in call. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

// sessionStorage: the token dies with the tab, and other sites cannot read it.
export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY));
  } catch {
    return null;
  }
}

export function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

export async function login(username, password) {
  const res = await fetch(`${BASE}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new ApiError(res.status, data.code ?? `HTTP_${res.status}`, data.message ?? res.statusText);
  }
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token: data.token, username: data.username }));
  return data;
}

export async function call(method, path, body) {
  const current = session();
  if (!current) {
    onUnauthorized();
    throw new ApiError(401, 'UNAUTHORIZED', 'not logged in');
  }
  const headers = { authorization: `Bearer ${current.token}` };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(BASE + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) {
    return null;
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401) {
      clearSession();
      onUnauthorized();
    }
    throw new ApiError(res.status, data?.code ?? `HTTP_${res.status}`, data?.message ?? res.statusText);
  }
  return data;
}

export const get = (path) => call('GET', path);
export const linkPath = (name) => `/cluster/links/link/${encodeURIComponent(name)}`;

// Validation errors come as "path: message; path: message" (e.g. "topics[1]: invalid topic filter ...").
const FIELD_ERROR = /(?:^|; )([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): /g;

/** The message split into {path, message} parts; a message without paths gives one part with path null. */
export function fieldErrors(message) {
  const text = String(message ?? '');
  const starts = [...text.matchAll(FIELD_ERROR)];
  if (starts.length === 0 || starts[0].index !== 0) {
    return [{ path: null, message: text }];
  }
  return starts.map((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].index : text.length;
    return { path: m[1], message: text.slice(m.index + m[0].length, end) };
  });
}
