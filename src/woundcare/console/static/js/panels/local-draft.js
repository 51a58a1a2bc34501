// Text typed into boxes that are not record fields (free text, follow-up answers) survives
// a reload: kept in sessionStorage until it is used.
import { signal, effect } from "../../vendor/signals.mjs";

const cache = new Map();

export function persistedSignal(key, initial) {
  const full = `woundcare.draft.${key}`;
  if (cache.has(full)) return cache.get(full);
  let start = initial;
  try {
    const raw = sessionStorage.getItem(full);
    if (raw !== null) start = JSON.parse(raw);
  } catch {
    start = initial;
  }
  const s = signal(start);
  effect(() => {
    const v = s.value;
    try {
      if (v === initial || v === "" || v == null) sessionStorage.removeItem(full);
      else sessionStorage.setItem(full, JSON.stringify(v));
    } catch {
      /* storage unavailable */
    }
  });
  cache.set(full, s);
  return s;
}
