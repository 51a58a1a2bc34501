// The three consents, how they were given, and who captured them (with the history).
// Consent may change in any state, so these stay editable unless the record is locked
// (where only a revocation is possible).
import { html } from "../html.js";
import { SelectField, TextField } from "../components/fields.js";
import { locked } from "../store.js";
import { choices, OPTIONS, optionLabel, when } from "../wording.js";

const STATUS = choices("ConsentStatus");
const METHOD = choices("ConsentMethod");
const KIND = OPTIONS.ConsentKind;

function who(id, me) {
  if (!id) return "—";
  if (me && id === me.clinician_id) return `you (${me.display_name || me.email})`;
  return "a colleague";
}

export function ConsentFields({ snap, me, only }) {
  const c = snap.record.consent || {};
  const isLocked = locked.value;
  // On a locked record only "declined" (a revocation) can be chosen.
  const options = isLocked ? STATUS.filter(([v]) => v === "declined" || v === c[v]) : STATUS;
  const kinds = only ? [only] : Object.keys(KIND);
  return html`<section class="subpanel consent" aria-labelledby=${`consent-title-${kinds.join("-")}`}>
    <h3 id=${`consent-title-${kinds.join("-")}`}>${only ? `Consent: ${KIND[only].toLowerCase()}` : "Consent"}</h3>
    ${kinds.map((k) => html`<${SelectField} path=${`consent.${k}`} label=${KIND[k]} empty=${null}
      options=${isLocked ? STATUS.filter(([v]) => v === "declined" || v === c[k]) : options} />`)}
    ${only ? "" : html`<${SelectField} path="consent.method" label="How consent was given" options=${METHOD} disabled=${isLocked} />
      <${TextField} path="consent.notes" label="Consent notes" multiline rows="2" disabled=${isLocked} />`}
    <p class="captured small" data-testid="consent-captured">${c.captured_by
      ? `Captured by ${who(c.captured_by, me)}${c.captured_at ? ` on ${when(c.captured_at)}` : ""}`
      : "Not captured yet."}</p>
    ${!only && (c.history || []).length ? html`<details><summary>Consent history (${c.history.length})</summary>
      <ul class="plain small">${c.history.map((h) => html`<li>${optionLabel("ConsentKind", h.kind)}: ${optionLabel("ConsentStatus", h.status)}${h.method ? ` · ${optionLabel("ConsentMethod", h.method)}` : ""}${" · "}${who(h.captured_by, me)} · ${when(h.captured_at)}</li>`)}</ul></details>` : ""}
  </section>`;
}
