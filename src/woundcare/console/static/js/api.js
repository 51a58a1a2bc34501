// The HTTP contract (docs/runtime-bootstrap.md section 7): cookie session + X-CSRF-Token on
// writes, If-Match with the record version, Idempotency-Key, problem+json errors.

/** The server answered with an error (problem+json when it could). */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `Request failed (${status})`);
    this.status = status;
    this.problem = problem || {};
    this.code = this.problem.code || null;
    this.errors = Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
  /** Worth retrying later with the same idempotency key (server busy or restarting). */
  get transient() {
    return this.status >= 500 || this.status === 408 || this.status === 429 && this.code !== "pin_locked";
  }
}

/** No answer at all: offline, server down, connection reset. */
export class NetworkError extends Error {}

let csrfToken = null;
let onUnauthorized = () => {};

export function setCsrf(token) {
  csrfToken = token || null;
}
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export async function request(method, url, options = {}) {
  const { json, form, version, key, quiet401 } = options;
  const headers = { Accept: "application/json, application/problem+json" };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (version != null) headers["If-Match"] = `"${version}"`;
  if (key) headers["Idempotency-Key"] = key;
  let res;
  try {
    res = await fetch(url, { method, headers, body, credentials: "same-origin", cache: "no-store" });
  } catch (err) {
    throw new NetworkError(String(err && err.message ? err.message : err));
  }
  let data = null;
  const type = res.headers.get("content-type") || "";
  if (res.status !== 204) {
    if (type.includes("json")) {
      try {
        data = await res.json();
      } catch {
        data = null;
      }
    } else {
      await res.text().catch(() => "");
    }
  }
  if (!res.ok) {
    const error = new ApiError(res.status, data);
    // A stale CSRF token (the session cookie changed in another tab, or the token was lost):
    // fetch the session's current token and send the same request once more (same
    // Idempotency-Key; the refused request changed nothing).
    if (res.status === 403 && error.code === "csrf_failed" && method !== "GET" && !options.csrfRetried
        && (await refreshCsrf())) {
      return request(method, url, { ...options, csrfRetried: true });
    }
    if (res.status === 401 && !quiet401) onUnauthorized(error);
    throw error;
  }
  return data;
}

async function refreshCsrf() {
  try {
    const who = await request("GET", "/api/auth/me", { quiet401: true });
    if (who && who.csrf_token) {
      csrfToken = who.csrf_token;
      return true;
    }
  } catch {
    /* no session: the original error is reported */
  }
  return false;
}

const enc = encodeURIComponent;

export const api = {
  login: (email, password) =>
    request("POST", "/api/auth/login", { json: { email, password }, quiet401: true }),
  logout: () => request("POST", "/api/auth/logout", { quiet401: true }),
  me: () => request("GET", "/api/auth/me", { quiet401: true }),
  setPin: (password, pin) => request("PUT", "/api/auth/pin", { json: { password, pin } }),
  changePassword: (current, next) => request("PUT", "/api/auth/password",
    { json: { current_password: current, new_password: next } }),
  listCases: (params) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== "" && v != null) q.set(k, v);
    return request("GET", `/api/cases?${q}`);
  },
  createCase: (key, previousCaseId) =>
    request("POST", "/api/cases", { json: previousCaseId ? { previous_case_id: previousCaseId } : {}, key }),
  snapshot: (caseId) => request("GET", `/api/session/${enc(caseId)}`),
  /** A write to one step endpoint ("bio", "vitals", "follow-ups/<id>", ...). */
  write: (caseId, endpoint, body, version, key) =>
    request("POST", `/api/session/${enc(caseId)}/${endpoint}`, { json: body, version, key }),
  event: (caseId, event, version, key) =>
    request("POST", `/api/session/${enc(caseId)}/events/${enc(event)}`, { version, key }),
  parseBio: (caseId, freeText) =>
    request("POST", `/api/session/${enc(caseId)}/bio/parse`, { json: { free_text: freeText } }),
  parseDocument: (caseId, artifactId) =>
    request("POST", `/api/session/${enc(caseId)}/artifacts/${enc(artifactId)}/parse`),
  upload: (caseId, form, version, key) =>
    request("POST", `/api/session/${enc(caseId)}/artifacts`, { form, version, key }),
  provenance: (caseId) => request("GET", `/api/session/${enc(caseId)}/provenance`),
  home: () => request("GET", "/api/home"),
  duplicates: (caseId) => request("GET", `/api/cases/${enc(caseId)}/possible-duplicates`),
  nextVisit: (caseId) => request("GET", `/api/cases/${enc(caseId)}/next-visit`),
  setNextVisit: (caseId, dueOn) =>
    request("PUT", `/api/cases/${enc(caseId)}/next-visit`, { json: { due_on: dueOn || null } }),
  artifactUrl: (caseId, artifactId) => `/api/session/${enc(caseId)}/artifacts/${enc(artifactId)}`,
};
