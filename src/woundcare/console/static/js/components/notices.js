import { html } from "../html.js";
import { dismissNotice, notices } from "../store.js";

export function Notices() {
  return html`<div class="notices" aria-live="polite">
    ${notices.value.map((n) => html`<div class=${`notice notice-${n.kind}`} role=${n.kind === "error" ? "alert" : "status"}>
      <span>${n.text}</span>
      <button type="button" class="link" aria-label="Dismiss message" onClick=${() => dismissNotice(n.id)}>×</button>
    </div>`)}
  </div>`;
}
