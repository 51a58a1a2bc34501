import { html } from "../html.js";
import { fireEvent } from "../actions.js";
import { allowed, busy } from "../store.js";

export function StartPanel({ snap }) {
  return html`<section class="panel" aria-labelledby="panel-title">
    <h2 id="panel-title">New case</h2>
    <p>Visit ${snap.record.visit_number || 1}. Begin the intake to record the patient's details and consent.</p>
    ${allowed("BEGIN") ? html`<button type="button" class="primary" id="continue" disabled=${!!busy.value}
      onClick=${() => fireEvent("BEGIN")}>Begin intake</button>` : ""}
  </section>`;
}
