// Autosave a clinician can trust. Every edit joins a queue (persisted in sessionStorage), is
// sent after a short pause, one request at a time, with If-Match (the version this device
// last saw) and an Idempotency-Key that stays the same across retries, so a retry after a
// lost response cannot apply an edit twice. Network failures retry with backoff; a 409 stops
// the queue until the clinician chooses to re-apply their edits on the current version.
import { batch } from "../vendor/signals.mjs";
import { api, ApiError, NetworkError, setCsrf } from "./api.js";
import { buildBody, describeEdit, toRecordPath } from "./changes.js";
import { pathsOverlap, uuid } from "./paths.js";
import {
  conflict, fieldErrors, inflight, lastSavedAt, notify, pending, rejected, saveState, snapshot,
} from "./store.js";

const DEBOUNCE_MS = 600;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];

let caseId = null;
let base = null; // the record version our queued edits apply to
let debounceTimer = null;
let retryTimer = null;
let attempts = 0;
let running = false;
let authLost = false;
let settleWaiters = [];
let updatedElsewhere = false; // the shown version came from another tab or device

// Tabs of this browser tell each other when they saved a case: a tab showing the same case
// with nothing waiting picks up the newer version at once (it would otherwise keep showing
// its own older text as "Saved" until its next edit met a conflict).
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("woundcare.cases") : null;
function announce(snap) {
  if (channel && snap) channel.postMessage({ caseId: snap.case_id, version: snap.version });
}
if (channel) {
  channel.onmessage = (e) => {
    const m = e.data || {};
    const snap = snapshot.value;
    if (m.caseId !== caseId || !snap || snap.case_id !== caseId || m.version <= snap.version) return;
    if (hasWork() || conflict.value) return; // the next save meets the conflict and explains it
    api.snapshot(caseId).then((next) => acceptSnapshot(next, true)).catch(() => {});
  };
}

const storageKey = (id) => `woundcare.queue.${id}`;

function persist() {
  if (!caseId) return;
  const state = { base, pending: pending.value, inflight: inflight.value, rejected: rejected.value };
  const empty = !state.pending.length && !state.inflight && !state.rejected.length;
  try {
    if (empty) sessionStorage.removeItem(storageKey(caseId));
    else sessionStorage.setItem(storageKey(caseId), JSON.stringify(state));
  } catch {
    /* storage full or disabled: the queue still works in memory */
  }
}

/** Switch the queue to a case: restore what a reload left behind. */
export function openCase(id) {
  if (caseId === id) return;
  clearTimeout(debounceTimer);
  clearTimeout(retryTimer);
  caseId = id;
  attempts = 0;
  updatedElsewhere = false;
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(storageKey(id)) || "null");
  } catch {
    saved = null;
  }
  batch(() => {
    base = saved ? saved.base : null;
    pending.value = saved ? saved.pending || [] : [];
    inflight.value = saved ? saved.inflight || null : null;
    rejected.value = saved ? saved.rejected || [] : [];
    conflict.value = null;
    fieldErrors.value = {};
    saveState.value = hasWork() ? "saving" : "idle";
  });
}

export function closeCase() {
  clearTimeout(debounceTimer);
  clearTimeout(retryTimer);
  caseId = null;
  base = null;
  batch(() => {
    pending.value = [];
    inflight.value = null;
    rejected.value = [];
    conflict.value = null;
    saveState.value = "idle";
  });
}

function hasWork() {
  return pending.value.length > 0 || inflight.value !== null;
}

/** A fresh snapshot from the server. Our base follows it only when nothing is queued. */
export function acceptSnapshot(snap, fromElsewhere = false) {
  if (!snap || snap.case_id !== caseId) return;
  const current = snapshot.value;
  if (current && current.case_id === snap.case_id && snap.version < current.version) return;
  if (current && current.case_id === snap.case_id && snap.version > current.version
      && (fromElsewhere || !hasWork())) {
    updatedElsewhere = true;
  }
  snapshot.value = snap;
  if (!hasWork() || base == null) base = snap.version;
  persist();
  if (hasWork() && !running && !retryTimer) pump();
  updateState();
}

/** Record an edit: shown at once, saved after a pause. */
export function edit(path, value) {
  const snap = snapshot.value;
  if (!snap) return;
  const change = { id: uuid(), path, value, ...describeEdit(path, value, snap.record) };
  batch(() => {
    pending.value = [...pending.value.filter((c) => c.path !== path), change];
    rejected.value = rejected.value.filter((c) => c.path !== path);
    clearErrors([path]);
  });
  persist();
  updateState();
  clearTimeout(debounceTimer);
  debounceTimer = setTimeout(() => {
    if (!retryTimer) pump();
  }, DEBOUNCE_MS);
}

/** A one-off write that must not be merged (answer a follow-up): queued, sent at once. */
export function submit(path, value) {
  const snap = snapshot.value;
  if (!snap) return;
  const change = { id: uuid(), path, value, ...describeEdit(path, value, snap.record) };
  pending.value = [...pending.value, change];
  clearErrors([path]);
  persist();
  updateState();
  if (!retryTimer) pump();
}

function clearErrors(paths) {
  const next = { ...fieldErrors.value };
  let changed = false;
  for (const p of Object.keys(next)) {
    if (paths.some((q) => pathsOverlap(p, q))) {
      delete next[p];
      changed = true;
    }
  }
  if (changed) fieldErrors.value = next;
}

function updateState() {
  if (conflict.value) saveState.value = "conflict";
  else if (authLost) saveState.value = "auth";
  else if (retryTimer) saveState.value = "offline";
  else if (hasWork()) saveState.value = "saving";
  else if (rejected.value.length) saveState.value = "error";
  else if (updatedElsewhere) saveState.value = "updated";
  else saveState.value = lastSavedAt.value ? "saved" : "idle";
  if (!hasWork() || conflict.value || authLost || retryTimer) {
    const waiters = settleWaiters;
    settleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}

function nextBatch() {
  const first = pending.value[0];
  const group = pending.value.filter((c) => c.group === first.group);
  // Answers to follow-ups are one request each.
  const changes = first.body ? [first] : group;
  const ids = new Set(changes.map((c) => c.id));
  return {
    batch: { key: uuid(), ep: first.ep, body: buildBody(changes), base, changes },
    rest: pending.value.filter((c) => !ids.has(c.id)),
  };
}

/** Send queued edits one request at a time until the queue is empty or blocked. */
export async function pump() {
  if (running || !caseId || conflict.value || authLost) return;
  running = true;
  clearTimeout(debounceTimer);
  const forCase = caseId;
  try {
    while (caseId === forCase && !conflict.value && !authLost) {
      let current = inflight.value;
      if (!current) {
        if (!pending.value.length) break;
        const { batch: next, rest } = nextBatch();
        batch(() => {
          inflight.value = next;
          pending.value = rest;
        });
        persist();
        current = next;
      }
      updateState();
      let snap;
      try {
        snap = await api.write(forCase, current.ep, current.body, current.base, current.key);
      } catch (err) {
        if (caseId !== forCase) break;
        if (handleFailure(err, current)) continue;
        break;
      }
      if (caseId !== forCase) break;
      attempts = 0;
      base = snap.version;
      updatedElsewhere = false;
      announce(snap);
      batch(() => {
        inflight.value = null;
        lastSavedAt.value = new Date();
        clearErrors(current.changes.map((c) => c.path));
        if (!snapshot.value || snap.version >= snapshot.value.version) snapshot.value = snap;
      });
      // Edits queued against the old base now apply to the new one.
      persist();
    }
  } finally {
    running = false;
    updateState();
  }
}

/** Decide what a failed request means. Returns true to keep going with the next request. */
function handleFailure(err, current) {
  if (err instanceof NetworkError || (err instanceof ApiError && err.transient)) {
    scheduleRetry();
    return false;
  }
  if (!(err instanceof ApiError)) {
    console.error(err); // a bug in the console, not the network
    scheduleRetry();
    return false;
  }
  if (err.status === 409) {
    const current409 = err.problem.current || null;
    conflict.value = {
      previous: snapshot.value,
      current: current409,
      changes: [...current.changes, ...pending.value],
    };
    return false;
  }
  if (err.status === 401) {
    authLost = true; // the api module already sent the user to log in
    return false;
  }
  if (err.status === 403 && err.code === "csrf_failed") {
    // A stale CSRF token (e.g. the server restarted): refresh it and retry.
    api.me().then((who) => setCsrf(who.csrf_token)).catch(() => {});
    scheduleRetry();
    return false;
  }
  // Any other refusal (a 422 at a field, a 403 for a role, a 404 for a case no longer shared
  // with this clinician): the server's words go to the fields; retrying would not help.
  reject(err, current);
  return true;
}

function scheduleRetry() {
  const delay = BACKOFF_MS[Math.min(attempts, BACKOFF_MS.length - 1)];
  attempts += 1;
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    pump();
  }, delay);
  updateState();
}

/** The server refused the request (422, 400, 413...): show its words at the fields; edits the
 * errors do not name are sent again without the refused ones; refused ones stay on screen. */
function reject(err, current) {
  const errors = err.errors.map((e) => ({ ...e, path: toRecordPath(current.ep, e.path) }));
  const hit = (c) => errors.some((e) => e.path && pathsOverlap(e.path, c.path));
  let refused = current.changes.filter(hit);
  let retry = current.changes.filter((c) => !hit(c));
  if (!refused.length) {
    refused = current.changes;
    retry = [];
  }
  const next = { ...fieldErrors.value };
  for (const e of errors) if (e.path) next[e.path] = [...(next[e.path] || []), e.message];
  for (const c of refused) {
    if (!errors.some((e) => e.path && pathsOverlap(e.path, c.path))) {
      next[c.path] = [err.problem.detail || err.message];
    }
  }
  batch(() => {
    fieldErrors.value = next;
    rejected.value = [...rejected.value.filter((r) => !refused.some((c) => c.path === r.path)), ...refused];
    inflight.value = null;
    pending.value = [...retry, ...pending.value];
  });
  persist();
}

/** After a conflict: take the server's current version and re-apply my edits on top. */
export function reapplyOnCurrent() {
  const c = conflict.value;
  if (!c) return;
  batch(() => {
    if (c.current) snapshot.value = c.current;
    base = c.current ? c.current.version : base;
    pending.value = c.changes.map((ch) => ({ ...ch, id: uuid() }));
    inflight.value = null;
    conflict.value = null;
  });
  persist();
  pump();
}

/** After a conflict: drop my unsaved edits, keep the other device's version. */
export function discardMine() {
  const c = conflict.value;
  batch(() => {
    if (c && c.current) snapshot.value = c.current;
    base = c && c.current ? c.current.version : base;
    pending.value = [];
    inflight.value = null;
    conflict.value = null;
  });
  updatedElsewhere = true;
  persist();
  updateState();
}

export function discardRejected() {
  rejected.value = [];
  fieldErrors.value = {};
  persist();
  updateState();
}

/** After logging in again: carry on with what was waiting. */
export function resumeAfterLogin() {
  authLost = false;
  attempts = 0;
  updateState();
  pump();
}

export function retryNow() {
  clearTimeout(retryTimer);
  retryTimer = null;
  attempts = 0;
  pump();
}

/** Wait until every queued edit is saved (or the queue is blocked). True when all saved. */
export async function settle(timeoutMs = 15000) {
  clearTimeout(debounceTimer);
  if (hasWork() && !retryTimer) pump();
  if (hasWork() && !conflict.value && !authLost && !retryTimer) {
    await Promise.race([
      new Promise((resolve) => settleWaiters.push(resolve)),
      new Promise((resolve) => setTimeout(resolve, timeoutMs)),
    ]);
  }
  return !hasWork() && !rejected.value.length && !conflict.value;
}

/** The version a one-off action (event, upload, signature) must send as If-Match. */
export function currentVersion() {
  return base != null ? base : snapshot.value ? snapshot.value.version : null;
}

/** Adopt the snapshot a one-off action returned. A snapshot of another case (RESET in DONE
 * answers with the next visit's) is not adopted: the queue stays bound to its own case, and
 * the router opens the other case with loadCase. */
export function afterAction(snap) {
  if (!snap || snap.case_id !== caseId) return;
  base = snap.version;
  snapshot.value = snap;
  updatedElsewhere = false;
  announce(snap);
  persist();
  updateState();
}

/** A 409 from a one-off action: show the same conflict view (nothing of mine is queued). */
export function actionConflict(err) {
  conflict.value = { previous: snapshot.value, current: err.problem.current || null, changes: [] };
  updateState();
}

window.addEventListener("online", () => retryNow());
