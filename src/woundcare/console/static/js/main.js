// Entry point and shell: checks the session, routes, and renders the app from the store.
// Only what the log-in page needs is imported here (the shell, the top bar, the messages and
// the log-in form); every other page and its panels are loaded when first opened (dynamic
// import), so the first load stays small (tests/e2e/test_delivery.py holds the budget).
import { effect, useSignal } from "../vendor/signals.mjs";
import { useEffect } from "../vendor/preact-hooks.mjs";
import { html, render } from "./html.js";
import { api, setCsrf, setUnauthorizedHandler } from "./api.js";
import { startRouter, go } from "./router.js";
import {
  authChecked, blockers, clearNotices, dismissNotice, fieldErrors, me, notices, pending, inflight,
  route, shell, snapshot,
} from "./store.js";

// ------------------------------------------------------------------ lazy pages

const pages = {
  cases: () => import("./components/home.js").then((m) => m.Home),
  case: () => import("./components/case-view.js").then((m) => m.CaseView),
  account: () => import("./components/account.js").then((m) => m.Account),
  admin: () => import("./components/admin.js").then((m) => m.Admin),
};
const loaded = {};
const actions = () => import("./actions.js");

function Lazy({ name }) {
  const tick = useSignal(0);
  const Page = loaded[name];
  useEffect(() => {
    if (!Page) pages[name]().then((C) => { loaded[name] = C; tick.value += 1; });
  }, [name]);
  void tick.value;
  if (!Page) return html`<main id="main" tabindex="-1"><p class="muted" aria-busy="true">Loading…</p></main>`;
  return html`<${Page} />`;
}

// ------------------------------------------------------------------ shell

/** Messages: in the page's flow (never over a control); on a case page inside its header. */
export function Notices({ inHeader = false }) {
  const list = notices.value;
  return html`<div class=${`notices${inHeader ? " in-header" : ""}`} aria-live="polite">
    ${list.map((n) => html`<div class=${`notice notice-${n.kind}`} role=${n.kind === "error" ? "alert" : "status"}>
      <span>${n.text}</span>
      <button type="button" class="link dismiss" aria-label="Dismiss message" onClick=${() => dismissNotice(n.id)}>×</button>
    </div>`)}
  </div>`;
}

shell.Notices = Notices;

function TopBar() {
  const who = me.value;
  const admin = who && who.role === "org_admin";
  return html`<header class="topbar">
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>Skip to content</a>
    <a class="brand" href=${who ? "#/cases" : "#/login"}>woundcare</a>
    ${who ? html`<nav class="topnav" aria-label="Main">
      <a class="button secondary small" href="#/cases">Home</a>
      ${admin ? html`<a class="button secondary small" href="#/admin">Administration</a>` : ""}
      <a class="button secondary small" href="#/account">Account</a>
      <button type="button" class="secondary small" onClick=${() => actions().then((a) => a.logout())}>Log out</button>
    </nav><span class="who">${who.display_name || who.email}</span>` : ""}
  </header>`;
}

function Login() {
  const email = useSignal("");
  const password = useSignal("");
  const error = useSignal(null);
  const working = useSignal(false);
  const onSubmit = async (e) => {
    e.preventDefault();
    error.value = null;
    working.value = true;
    try {
      const { login } = await actions();
      await login(email.value.trim(), password.value);
      password.value = "";
    } catch (err) {
      error.value = err.status === 401 || err.status === 422 || err.status === 400
        ? (err.problem && err.problem.detail) || "The email or password is not right."
        : err.status === 429 ? err.problem.detail || "Too many attempts; wait a moment."
        : "The server cannot be reached; try again in a moment.";
    } finally {
      working.value = false;
    }
  };
  const next = route.value.next;
  return html`<main id="main" tabindex="-1" class="login">
    <form class="card" onSubmit=${onSubmit} aria-labelledby="login-title" novalidate>
      <h1 id="login-title">Log in</h1>
      <p class="lead">Wound-care intake console${next && next.startsWith("/case/") ? " — you will return to the case you were working on." : ""}</p>
      <div class="field">
        <label for="login-email">Email</label>
        <input id="login-email" type="email" autocomplete="username" required value=${email.value}
          onInput=${(e) => { email.value = e.currentTarget.value; }} />
      </div>
      <div class="field">
        <label for="login-password">Password</label>
        <input id="login-password" type="password" autocomplete="current-password" required value=${password.value}
          onInput=${(e) => { password.value = e.currentTarget.value; }} />
      </div>
      ${error.value ? html`<p class="msg error" role="alert" id="login-error">${error.value}</p>` : ""}
      <button type="submit" class="primary" disabled=${working.value}>${working.value ? "Logging in…" : "Log in"}</button>
    </form>
  </main>`;
}

function App() {
  const r = route.value;
  let page;
  if (!authChecked.value) page = html`<main id="main" tabindex="-1"><p class="muted">Loading…</p></main>`;
  else if (r.name === "login" || !me.value) page = html`<${Login} />`;
  else page = html`<${Lazy} name=${pages[r.name] ? r.name : "cases"} key=${r.name} />`;
  const onCase = r.name === "case" && me.value;
  return html`<${TopBar} />${onCase ? "" : html`<${Notices} />`}${page}`;
}

// ------------------------------------------------------------------ routing

const TITLES = { login: "Log in", case: "Case", account: "Account", admin: "Administration" };

async function onRoute(r) {
  if (!authChecked.value) return;
  if (!me.value && r.name !== "login") {
    go(`#/login?next=${encodeURIComponent((location.hash || "#/cases").replace(/^#/, ""))}`);
    return;
  }
  document.title = `${TITLES[r.name] || "Home"} — woundcare`;
  if (r.name !== "case") window.scrollTo(0, 0);
  if (r.name === "case" && (!snapshot.value || snapshot.value.case_id !== r.caseId)) {
    const { loadCase } = await actions();
    await loadCase(r.caseId);
  }
}

async function checkSession() {
  try {
    const who = await api.me();
    setCsrf(who.csrf_token);
    me.value = who;
  } catch {
    me.value = null;
  } finally {
    authChecked.value = true;
  }
}

setUnauthorizedHandler(() => actions().then((a) => a.sessionLost()));

// Warn before closing the tab while edits are not yet saved (they are kept for a reload).
window.addEventListener("beforeunload", (e) => {
  if (pending.value.length || inflight.value) e.preventDefault();
});

// Pick up changes made on another device when the clinician comes back to this tab.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && !pending.value.length && !inflight.value && snapshot.value) {
    actions().then((a) => a.refreshCase());
  }
});

// Errors leave when they no longer apply: on a step change (or leaving the case), when the
// blockers they named are cleared, and when the fields they named are accepted.
let lastStep = null;
effect(() => {
  const snap = snapshot.value;
  const step = snap ? `${snap.case_id}:${snap.state}:${route.value.step || ""}` : `none:${route.value.name}`;
  const codes = new Set(blockers.value.map((b) => b.code));
  const errs = fieldErrors.value;
  if (lastStep !== null && step !== lastStep && !step.startsWith("none:login")) {
    clearNotices((n) => n.kind !== "info");
  }
  lastStep = step;
  clearNotices((n) => (n.codes && !n.codes.some((c) => codes.has(c)))
    || (n.paths && !n.paths.some((p) => errs[p] && errs[p].length)));
});

render(html`<${App} />`, document.getElementById("app"));
checkSession().then(() => startRouter(onRoute));
