// Next to a field: what blocks the step there (from the snapshot) and what the server
// refused (problem+json errors), in the server's words.
import { html } from "../html.js";
import { fieldId } from "../paths.js";
import { messagesAt, refusal, snapshot } from "../store.js";
import { plainMessage } from "../wording.js";

export function msgId(path) {
  return `${fieldId(path)}-msg`;
}

export function hasProblem(path, deep = false) {
  const m = messagesAt(path, deep);
  return m.errors.length > 0;
}

export function Messages({ path, deep = false }) {
  const { errors, blockers } = messagesAt(path, deep);
  const r = refusal.value;
  const refused = r && snapshot.value && r.version === snapshot.value.version;
  if (!errors.length && !blockers.length) return html`<div id=${msgId(path)} class="msgs"></div>`;
  return html`
    <div id=${msgId(path)} class="msgs">
      ${errors.map((e) => html`<p class="msg error" data-kind="error"><span aria-hidden="true">⚠ </span>${plainMessage(e)}</p>`)}
      ${blockers.map((b) => html`<p class=${`msg blocker${refused ? " refused" : ""}`} data-kind="blocker" data-code=${b.code}>
        <span class="visually-hidden">Needed to continue: </span>${plainMessage(b.message)}</p>`)}
    </div>`;
}
