// The whole record as it will be signed: every section, read-only.
import { html } from "../html.js";
import { api } from "../api.js";
import { when } from "../wording.js";
import { siteLabel } from "../components/body-map.js";
import { MeasurementSummary, PushBox, WOUND_TYPES } from "./measure.js";

const v = (x) => (x == null || x === "" ? html`<span class="muted">—</span>` : Array.isArray(x) ? x.join(", ") || "—" : String(x));

function Dl({ rows }) {
  return html`<dl class="record">${rows.map(([k, x]) => html`<div><dt>${k}</dt><dd>${v(x)}</dd></div>`)}</dl>`;
}

function vital(m, parts) {
  if (!m) return null;
  if (m.unknown) return "unknown";
  const values = parts.map((p) => m[p]).filter((x) => x != null);
  if (!values.length) return null;
  return `${values.join("/")} ${m.unit || m.scale || ""}${m.captured_at ? ` · ${when(m.captured_at)}` : ""}`;
}

export function RecordView({ snap }) {
  const r = snap.record;
  const p = r.patient || {};
  const c = r.consent || {};
  const w = r.wound || {};
  const vi = r.vitals || {};
  const t = r.time_assessment || {};
  const tissue = t.tissue || {};
  return html`<div class="record-view">
    <section><h3>Patient</h3><${Dl} rows=${[
      ["Name", [p.first_name, p.last_name].filter(Boolean).join(" ")], ["Preferred name", p.preferred_name],
      ["Date of birth", p.date_of_birth], ["Age", p.age], ["Sex", p.sex], ["MRN", p.mrn],
      ["Phone", p.contact && p.contact.phone], ["Email", p.contact && p.contact.email],
      ["Address", p.contact && p.contact.address], ["Notes", p.notes]]} /></section>
    <section><h3>Consent</h3><${Dl} rows=${[["Data storage", c.data_storage], ["Photography", c.photography],
      ["Team board sharing", c.team_board_sharing], ["Method", c.method], ["Captured", when(c.captured_at)], ["Notes", c.notes]]} /></section>
    <section><h3>Wound</h3><${Dl} rows=${[["Site", w.site], ["Description", w.description],
      ["Photos", (w.photos || []).length], ["Override reason", w.override_reason],
      ["Photography declined", w.photography_declined_reason],
      ["Wound type", (WOUND_TYPES.find(([k]) => k === w.wound_type) || [null, w.wound_type])[1]],
      ["Pressure-injury stage", w.pressure_injury_stage && w.pressure_injury_stage.replace(/_/g, " ")],
      ["Aetiology", w.aetiology], ["Body site", siteLabel(w.body_site)],
      ["Periwound skin", ((w.periwound || {}).condition || []).map((x) => x.replace(/_/g, " "))]]} />
      <h4>Measurement</h4><${MeasurementSummary} snap=${snap} /><${PushBox} snap=${snap} />
      <div class="thumbs">${(w.photos || []).map((ph, i) => html`<img src=${api.artifactUrl(snap.case_id, ph.artifact_id)}
        alt=${`Wound photo ${i + 1}, ${ph.orientation}`} loading="lazy" />`)}</div></section>
    <section><h3>Vitals</h3><${Dl} rows=${[
      ["Blood pressure", vital(vi.blood_pressure, ["systolic", "diastolic"])], ["Heart rate", vital(vi.heart_rate, ["value"])],
      ["Respiratory rate", vital(vi.respiratory_rate, ["value"])], ["Temperature", vital(vi.temperature, ["value"])],
      ["Oxygen saturation", vital(vi.oxygen_saturation, ["value"])], ["Pain", vital(vi.pain, ["value"])]]} /></section>
    <section><h3>T.I.M.E.</h3><${Dl} rows=${[
      ["Tissue", ["granulation", "slough", "necrotic", "epithelial"].map((k) => tissue[`${k}_pct`] != null ? `${k} ${tissue[`${k}_pct`]}%` : null).filter(Boolean).join(", ")],
      ["Odour", t.infection && t.infection.odour], ["Erythema", t.infection && t.infection.erythema],
      ["Exudate", t.moisture && t.moisture.exudate_level], ["Dressing saturation", t.moisture && t.moisture.dressing_saturation],
      ["Edge", t.edge && t.edge.condition], ["Notes", t.notes]]} /></section>
    <section><h3>Follow-up questions</h3>
      ${(r.follow_ups || []).length ? html`<ul class="plain small">${r.follow_ups.map((f) => html`<li>${f.question} —
        <em>${f.status}</em>${f.answer ? `: ${f.answer}` : f.dismiss_reason ? `: ${f.dismiss_reason}` : ""}</li>`)}</ul>` : html`<p class="muted">None.</p>`}
    </section>
  </div>`;
}
