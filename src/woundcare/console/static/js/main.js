// Entry point: checks the session, routes, and renders the app from the store.
import { html, render } from "./html.js";
import { setUnauthorizedHandler } from "./api.js";
import { checkSession, loadCase, refreshCase, sessionLost } from "./actions.js";
import { startRouter, go } from "./router.js";
import { authChecked, me, pending, inflight, route, snapshot } from "./store.js";
import { Account } from "./components/account.js";
import { CaseList } from "./components/case-list.js";
import { CaseView, TopBar } from "./components/case-view.js";
import { ConflictDialog } from "./components/conflict.js";
import { Login } from "./components/login.js";
import { Notices } from "./components/notices.js";

function App() {
  const r = route.value;
  let page;
  if (!authChecked.value) page = html`<main id="main" tabindex="-1"><p class="muted">Loading…</p></main>`;
  else if (r.name === "login" || !me.value) page = html`<${Login} />`;
  else if (r.name === "case") page = html`<${CaseView} />`;
  else if (r.name === "account") page = html`<${Account} />`;
  else page = html`<${CaseList} />`;
  return html`<${TopBar} /><${Notices} />${page}<${ConflictDialog} />`;
}

async function onRoute(r) {
  if (!authChecked.value) return;
  if (!me.value && r.name !== "login") {
    go(`#/login?next=${encodeURIComponent((location.hash || "#/cases").replace(/^#/, ""))}`);
    return;
  }
  if (r.name === "case" && (!snapshot.value || snapshot.value.case_id !== r.caseId)) await loadCase(r.caseId);
  document.title = r.name === "login" ? "Log in — woundcare" : r.name === "case" ? "Case — woundcare"
    : r.name === "account" ? "Account — woundcare" : "My cases — woundcare";
}

setUnauthorizedHandler(() => sessionLost());

// Warn before closing the tab while edits are not yet saved (they are kept for a reload).
window.addEventListener("beforeunload", (e) => {
  if (pending.value.length || inflight.value) e.preventDefault();
});

// Pick up changes made on another device when the clinician comes back to this tab.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && !pending.value.length && !inflight.value) refreshCase();
});

render(html`<${App} />`, document.getElementById("app"));
checkSession().then(() => startRouter(onRoute));
