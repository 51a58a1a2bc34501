// Dotted record paths ("vitals.heart_rate.value", "follow_ups.2") and small helpers on them.
// getPath and pathsOverlap live in store.js (which needs them on the log-in page; one file
// fewer to load there) and are re-exported here.
export { getPath, pathsOverlap } from "./store.js";

/** Sets a value at a dotted path, creating objects on the way (mutates ``obj``). */
export function setPath(obj, path, value) {
  const parts = path.split(".");
  let node = obj;
  for (const part of parts.slice(0, -1)) {
    if (node[part] == null || typeof node[part] !== "object") node[part] = {};
    node = node[part];
  }
  node[parts[parts.length - 1]] = value;
  return obj;
}

/** The id of the input that edits a path: blockers and server errors point focus at it. */
export function fieldId(path) {
  return "f-" + path.replace(/[^A-Za-z0-9_-]/g, "-");
}

const IGNORED = new Set(["version", "updated_at"]);

/** Leaf paths whose values differ between two records (what another device changed). */
export function leafDiff(before, after, prefix = "", out = []) {
  const keys = new Set([...Object.keys(before || {}), ...Object.keys(after || {})]);
  for (const key of keys) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (IGNORED.has(path)) continue;
    const a = before ? before[key] : undefined;
    const b = after ? after[key] : undefined;
    const bothObjects = a && b && typeof a === "object" && typeof b === "object";
    if (bothObjects) leafDiff(a, b, path, out);
    else if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) out.push({ path, before: a, after: b });
  }
  return out;
}

export function uuid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
