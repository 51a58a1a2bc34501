// Autosave status the clinician can trust: saved, saving, offline with n changes waiting.
import { html } from "../html.js";
import * as autosave from "../autosave.js";
import { lastSavedAt, rejected, saveState, waitingCount } from "../store.js";

export function SaveIndicator() {
  const n = waitingCount.value;
  const changes = `${n} change${n === 1 ? "" : "s"}`;
  const state = saveState.value;
  let text;
  let action = null;
  if (state === "saving") text = "Saving…";
  else if (state === "offline") {
    text = `Offline — ${changes} waiting`;
    action = html`<button type="button" class="link" onClick=${() => autosave.retryNow()}>Retry now</button>`;
  } else if (state === "conflict") text = `Changed on another device — ${changes} waiting`;
  else if (state === "auth") text = `Logged out — ${changes} waiting`;
  else if (state === "error") {
    const r = rejected.value.length;
    text = `${r} change${r === 1 ? " was" : "s were"} not accepted`;
    action = html`<button type="button" class="link" onClick=${() => autosave.discardRejected()}>Discard</button>`;
  } else if (state === "updated") {
    text = "Updated in another tab or device";
  } else if (state === "saved") {
    const t = lastSavedAt.value;
    text = `Saved${t ? ` ${t.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}` : ""}`;
  } else text = "No unsaved changes";
  return html`<div class=${`save-indicator save-${state}`} role="status" aria-live="polite" data-state=${state}>
    <span class="dot" aria-hidden="true"></span><span class="save-text">${text}</span> ${action}
  </div>`;
}
