// One-off actions: log in and out, open and create cases, fire workflow events, upload
// files, attest, sign, export. Each waits for the autosave queue to be empty first, so the
// version it sends as If-Match includes every edit the clinician made.
import { batch } from "../vendor/signals.mjs";
import { api, ApiError, NetworkError, setCsrf } from "./api.js";
import * as autosave from "./autosave.js";
import { uuid } from "./paths.js";
import { go, returnTo } from "./router.js";
import {
  authChecked, busy, caseError, clearNotices, fieldErrors, me, notify, refusal, snapshot,
} from "./store.js";
import { plainMessage, SAY } from "./wording.js";

export async function checkSession() {
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

export async function login(email, password) {
  const res = await api.login(email, password);
  setCsrf(res.csrf_token);
  try {
    const who = await api.me();
    setCsrf(who.csrf_token || res.csrf_token);
    me.value = who;
  } catch {
    me.value = res.clinician || { email };
  }
  clearNotices();
  autosave.resumeAfterLogin();
  go(returnTo() || "#/cases");
}

export async function logout() {
  await autosave.settle(5000);
  try {
    await api.logout();
  } catch {
    /* already logged out */
  }
  setCsrf(null);
  autosave.closeCase();
  clearNotices();
  batch(() => {
    me.value = null;
    snapshot.value = null;
  });
  go("#/login");
}

/** The server says the session is gone: remember where we were, then log in again. */
export function sessionLost() {
  if (!me.value && location.hash.startsWith("#/login")) return;
  me.value = null;
  setCsrf(null);
  const here = location.hash || "#/cases";
  notify(SAY.sessionEnded, "warning");
  go(`#/login?next=${encodeURIComponent(here.replace(/^#/, ""))}`);
}

export async function loadCase(caseId) {
  autosave.openCase(caseId);
  caseError.value = null;
  refusal.value = null;
  if (snapshot.value && snapshot.value.case_id !== caseId) snapshot.value = null;
  try {
    const snap = await api.snapshot(caseId);
    autosave.acceptSnapshot(snap);
    autosave.pump();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    caseError.value = err instanceof ApiError && err.status === 404
      ? "This case does not exist or you do not have access to it."
      : "The case could not be loaded. Check the connection and try again.";
  }
}

export async function refreshCase() {
  const snap = snapshot.value;
  if (!snap) return;
  try {
    autosave.acceptSnapshot(await api.snapshot(snap.case_id));
  } catch {
    /* the next save or action reports problems */
  }
}

export async function createCase(previousCaseId) {
  const snap = await api.createCase(uuid(), previousCaseId);
  go(`#/case/${snap.case_id}`);
}

/** Run a one-off write after the queue is saved; shows problems the way edits do. */
async function runAction(name, fn) {
  if (busy.value) return null;
  busy.value = name;
  try {
    const saved = await autosave.settle();
    if (!saved) {
      notify(SAY.notSavedYet, "warning");
      return null;
    }
    const snap = snapshot.value;
    const result = await fn(snap.case_id, autosave.currentVersion(), uuid());
    if (result && result.case_id) autosave.afterAction(result);
    // The action went through: earlier errors and warnings about actions are out of date.
    clearNotices((n) => n.kind !== "info" && !n.paths);
    return result || true;
  } catch (err) {
    reportActionError(name, err);
    return null;
  } finally {
    busy.value = null;
  }
}

function reportActionError(name, err) {
  if (err instanceof NetworkError) {
    notify(SAY.offline, "error");
    return;
  }
  if (!(err instanceof ApiError)) {
    notify(SAY.consoleBug, "error");
    console.error(err);
    return;
  }
  if (err.status === 401) return;
  if (err.status === 409) {
    autosave.actionConflict(err);
    return;
  }
  const problem = err.problem;
  if (problem.blockers && problem.blockers.length) {
    refusal.value = {
      event: name, message: problem.detail, blockers: problem.blockers,
      version: snapshot.value && snapshot.value.version,
    };
    // The summary at the top of the step lists what is missing, each with a link to its
    // field: show it (no toast, which would only repeat it and could cover a control).
    requestAnimationFrame(() => {
      const summary = document.querySelector(".blocker-summary");
      if (summary) {
        summary.scrollIntoView({ block: "start" });
        summary.focus({ preventScroll: true });
      }
    });
    return;
  }
  // A guard's refusal names its blockers (shown at their fields); other errors are inline.
  if (err.errors.length && !(problem.blockers && problem.blockers.length)) {
    const next = { ...fieldErrors.value };
    for (const e of err.errors) if (e.path) next[e.path] = [e.message];
    fieldErrors.value = next;
  }
  if (name === "sign" && (err.status === 422 || err.status === 429)) {
    // Shown at the PIN box, where the clinician is typing.
    fieldErrors.value = { ...fieldErrors.value, pin: [plainMessage(problem.detail || err.message)] };
    return;
  }
  const paths = err.errors.map((e) => e.path).filter(Boolean);
  notify(plainMessage(problem.detail || err.message), "error", { paths: paths.length ? paths : null });
}

export async function fireEvent(event) {
  refusal.value = null;
  const result = await runAction(event, (id, version, key) => api.event(id, event, version, key));
  if (result) {
    const step = location.hash.split("/")[3];
    if (step) go(`#/case/${result.case_id || snapshot.value.case_id}`);
  }
  return result;
}

export const write = (name, endpoint, body) =>
  runAction(name, (id, version, key) => api.write(id, endpoint, body, version, key));

export async function upload(file, kind, extra = {}) {
  const result = await runAction(`upload-${kind}`, (id, version, key) => {
    const form = new FormData();
    form.append("file", file, file.name || `${kind}.bin`);
    form.append("kind", kind);
    for (const [k, v] of Object.entries(extra)) if (v) form.append(k, v);
    return api.upload(id, form, version, key);
  });
  return result;
}

export async function parseFreeText(text) {
  const snap = snapshot.value;
  try {
    return await api.parseBio(snap.case_id, text);
  } catch (err) {
    reportActionError("parse", err);
    return null;
  }
}

/** A document already uploaded, read through the intake parser (nothing is saved). */
export async function parseDocument(artifactId) {
  const snap = snapshot.value;
  try {
    return await api.parseDocument(snap.case_id, artifactId);
  } catch (err) {
    reportActionError("parse", err);
    return null;
  }
}

export async function changePassword(current, next) {
  await api.changePassword(current, next);
  const who = await api.me();
  setCsrf(who.csrf_token);
  me.value = who;
}

export async function setPin(password, pin) {
  await api.setPin(password, pin);
  const who = await api.me();
  setCsrf(who.csrf_token);
  me.value = who;
}
