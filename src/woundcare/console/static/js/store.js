// The one store of state: Preact signals. Components read them; actions in autosave.js,
// actions.js and router.js write them. The server's snapshot is the truth; edits not yet
// confirmed by it live in the autosave queue and are overlaid on it (optimistic updates).
import { signal, computed } from "../vendor/signals.mjs";

export const me = signal(null); // {clinician_id, display_name, email, role, pin_set}
export const authChecked = signal(false);
export const route = signal({ name: "loading" }); // {name: login|cases|case, caseId, step, next}

export const snapshot = signal(null); // the current case's session snapshot
export const caseError = signal(null);

// Autosave queue (see autosave.js). Each change: {id, path, value, ep, group, sendPath, fixed}.
export const pending = signal([]); // waiting to be sent
export const inflight = signal(null); // {key, ep, body, base, changes}: being sent (or retried)
export const rejected = signal([]); // refused by the server: kept so nothing typed is lost
export const saveState = signal("idle"); // idle|saving|saved|offline|conflict|auth|error
export const lastSavedAt = signal(null);
export const conflict = signal(null); // {previous, current, changes}

export const fieldErrors = signal({}); // record path -> [messages] (server's words)
export const refusal = signal(null); // {event, message, blockers, version} after a refused event
export const notices = signal([]); // [{id, kind, text}]
export const busy = signal(null); // name of the action in progress
// Parts of the shell (main.js) that pages render in their own place (the case page shows the
// messages inside its sticky header). Filled in by main.js; avoids pages importing the entry.
export const shell = {};

export const waitingCount = computed(() => {
  const paths = new Set();
  for (const c of inflight.value ? inflight.value.changes : []) paths.add(c.path);
  for (const c of pending.value) paths.add(c.path);
  return paths.size;
});

/** The value an input shows: the newest unconfirmed edit, else the server's record. */
export function valueAt(path) {
  const all = [...rejected.value, ...(inflight.value ? inflight.value.changes : []), ...pending.value];
  for (let i = all.length - 1; i >= 0; i--) if (all[i].path === path) return all[i].value;
  return snapshot.value ? getPath(snapshot.value.record, path) : undefined;
}

/** True while an edit of this path (or inside it) is not yet confirmed by the server. */
export function isUnsaved(path) {
  const all = [...(inflight.value ? inflight.value.changes : []), ...pending.value];
  return all.some((c) => pathsOverlap(c.path, path));
}

/** Blockers of the current state's forward event (from the snapshot or a refused event). */
export const blockers = computed(() => {
  const snap = snapshot.value;
  const out = [];
  if (snap) {
    for (const ev of snap.allowed_events || []) if (ev.forward) out.push(...(ev.blockers || []));
  }
  const refused = refusal.value;
  if (refused && refused.blockers && snap && refused.version === snap.version) {
    for (const b of refused.blockers) if (!out.some((o) => o.code === b.code && o.field === b.field)) out.push(b);
  }
  return out;
});

export const forwardEvent = computed(() => {
  const snap = snapshot.value;
  return snap ? (snap.allowed_events || []).find((e) => e.forward) || null : null;
});

export function allowed(event) {
  const snap = snapshot.value;
  return !!snap && (snap.allowed_events || []).some((e) => e.event === event);
}

/** Blockers and server errors to show next to the input for ``path``. With ``deep``, also
 * those about fields inside it (a group such as "vitals.heart_rate"). */
export function messagesAt(path, deep = false) {
  const match = (p) => p === path || (deep && p && p.startsWith(path + "."));
  const errors = [];
  for (const [p, list] of Object.entries(fieldErrors.value)) if (match(p)) errors.push(...list);
  const blocks = blockers.value.filter((b) => b.field && match(b.field));
  return { errors, blockers: blocks };
}

export const locked = computed(() => !!snapshot.value && snapshot.value.status === "locked");

let noticeSeq = 0;
/** A message at the top of the page. ``opts.codes`` (blocker codes) or ``opts.paths`` (record
 * paths with a server error) tie an error to its problem: it leaves once the problem is fixed.
 * Errors also leave on a step change, after a successful action and on log-out
 * (see clearNotices); other kinds leave by themselves after 8 s. */
export function notify(text, kind = "info", opts = {}) {
  if (text == null || text === "") return;
  const id = ++noticeSeq;
  const sameText = (n) => n.text === text;
  notices.value = [...notices.value.filter((n) => !sameText(n)).slice(-2),
    { id, kind, text, codes: opts.codes || null, paths: opts.paths || null }];
  if (kind !== "error") setTimeout(() => dismissNotice(id), 8000);
}
export function dismissNotice(id) {
  notices.value = notices.value.filter((n) => n.id !== id);
}
/** Remove the notices ``which`` picks (all of them by default). */
export function clearNotices(which = () => true) {
  const kept = notices.value.filter((n) => !which(n));
  if (kept.length !== notices.value.length) notices.value = kept;
}

// ------------------------------------------------------------------ record paths

export function getPath(obj, path) {
  let node = obj;
  for (const part of path.split(".")) {
    if (node == null) return undefined;
    node = Array.isArray(node) ? node[Number(part)] : node[part];
  }
  return node;
}

/** True when one path is the other or contains it ("vitals.temperature" ~ "vitals.temperature.value"). */
export function pathsOverlap(a, b) {
  return a === b || a.startsWith(b + ".") || b.startsWith(a + ".");
}
