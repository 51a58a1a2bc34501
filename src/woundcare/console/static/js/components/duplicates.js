// "This may be a patient you already have": other cases with the same MRN, or the same full
// name and date of birth (the server's blind index), shown while the patient is entered.
import { useSignal } from "../../vendor/signals.mjs";
import { useEffect } from "../../vendor/preact-hooks.mjs";
import { html } from "../html.js";
import { api } from "../api.js";
import { STEP_LABEL, when } from "../wording.js";

const WHY = { mrn: "the same MRN", name_and_date_of_birth: "the same name and date of birth" };

export function PossibleDuplicates({ snap }) {
  const p = snap.record.patient || {};
  const key = [p.first_name, p.preferred_name, p.last_name, p.date_of_birth, p.mrn].join("|");
  const found = useSignal([]);
  useEffect(() => {
    if (!p.mrn && !(p.date_of_birth && p.last_name)) {
      found.value = [];
      return undefined;
    }
    let live = true;
    api.duplicates(snap.case_id).then((res) => { if (live) found.value = res.items || []; }).catch(() => {});
    return () => { live = false; };
  }, [snap.case_id, key]);
  if (!found.value.length) return null;
  return html`<section class="duplicates msg blocker" role="status" aria-labelledby="dup-title">
    <h3 id="dup-title">This may be a patient you already have</h3>
    <ul class="plain">${found.value.map((c) => html`<li>
      <strong>${c.patient_label || "A patient"}</strong>, visit ${c.visit_number} (${STEP_LABEL[c.state] || ""}, ${when(c.updated_at)})
      — ${c.reasons.map((r) => WHY[r] || "similar details").join(" and ")}.
      <a class="button secondary small" href=${`#/case/${c.case_id}`}>Open that case</a></li>`)}</ul>
    <p class="small">If it is the same patient, continue from that case (its last visit offers "Start the next visit") rather than starting a new one.</p>
  </section>`;
}
