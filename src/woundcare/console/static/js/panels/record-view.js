// The whole record as it will be signed: every section, read-only, in words (no codes).
import { html } from "../html.js";
import { api } from "../api.js";
import { day, optionLabel, vitalText, when } from "../wording.js";
import { siteLabel } from "../components/body-map.js";
import { MeasurementSummary, PushBox, WOUND_TYPES } from "./measure.js";

const v = (x) => (x == null || x === "" ? html`<span class="muted">—</span>` : Array.isArray(x) ? x.join(", ") || "—" : String(x));

function Dl({ rows }) {
  return html`<dl class="record">${rows.filter(Boolean).map(([k, x]) => html`<div><dt>${k}</dt><dd>${v(x)}</dd></div>`)}</dl>`;
}

/** A vital in words, with how it was measured and where (method, temperature site). */
function vitalWith(name, m) {
  const text = vitalText(name, m);
  if (!text || !m) return text;
  const how = [m.method ? `${optionLabel("MeasurementMethod", m.method).toLowerCase()} measurement` : null,
    m.site ? `${optionLabel("TemperatureSite", m.site).toLowerCase()} site` : null].filter(Boolean).join(", ");
  return how ? `${text} (${how})` : text;
}

const TISSUE = [["granulation", "Granulation"], ["slough", "Slough"], ["necrotic", "Necrotic"], ["epithelial", "Epithelial"]];

export function RecordView({ snap }) {
  const r = snap.record;
  const p = r.patient || {};
  const c = r.consent || {};
  const w = r.wound || {};
  const vi = r.vitals || {};
  const t = r.time_assessment || {};
  const tissue = t.tissue || {};
  const inf = t.infection || {};
  const moist = t.moisture || {};
  const edge = t.edge || {};
  const photosDeclined = c.photography === "declined";
  return html`<div class="record-view">
    <section><h3>Patient</h3><${Dl} rows=${[
      ["Name", [p.first_name, p.last_name].filter(Boolean).join(" ")], ["Preferred name", p.preferred_name],
      ["Date of birth", p.date_of_birth ? day(p.date_of_birth) : null], ["Age", p.age != null ? `${p.age} years` : null],
      ["Sex", p.sex ? optionLabel("Sex", p.sex) : null], ["MRN", p.mrn],
      ["Phone", p.contact && p.contact.phone], ["Email", p.contact && p.contact.email],
      ["Address", p.contact && p.contact.address], ["Notes", p.notes]]} /></section>
    <section><h3>Consent</h3><${Dl} rows=${[
      ["Data storage", optionLabel("ConsentStatus", c.data_storage)], ["Photography", optionLabel("ConsentStatus", c.photography)],
      ["Team board sharing", optionLabel("ConsentStatus", c.team_board_sharing)],
      ["How consent was given", c.method ? optionLabel("ConsentMethod", c.method) : null],
      ["Captured", c.captured_at ? when(c.captured_at) : null], ["Notes", c.notes]]} /></section>
    <section><h3>Wound</h3><${Dl} rows=${[["Site", w.site], ["Description", w.description],
      photosDeclined ? null : ["Photos", String((w.photos || []).length)],
      w.override_reason ? ["Reason to continue without a passing photo", w.override_reason] : null,
      photosDeclined ? ["Photography declined", w.photography_declined_reason || "No reason recorded"] : null,
      ["Wound type", (WOUND_TYPES.find(([k]) => k === w.wound_type) || [null, w.wound_type])[1]],
      ["Pressure-injury stage", w.pressure_injury_stage && w.pressure_injury_stage.replace(/_/g, " ")],
      ["Aetiology", w.aetiology], ["Body site", siteLabel(w.body_site)],
      ["Periwound skin", ((w.periwound || {}).condition || []).map((x) => x.replace(/_/g, " "))]]} />
      <h4 class="record-sub">Measurement</h4><${MeasurementSummary} snap=${snap} /><${PushBox} snap=${snap} />
      <div class="thumbs">${(w.photos || []).map((ph, i) => html`<img src=${api.artifactUrl(snap.case_id, ph.artifact_id)}
        alt=${`Wound photo ${i + 1}${ph.orientation && ph.orientation !== "unspecified" ? `, ${optionLabel("Orientation", ph.orientation).toLowerCase()}` : ""}`} loading="lazy" />`)}</div></section>
    <section><h3>Vitals</h3><${Dl} rows=${[
      ["Blood pressure", vitalText("blood_pressure", vi.blood_pressure)], ["Heart rate", vitalWith("heart_rate", vi.heart_rate)],
      ["Respiratory rate", vitalText("respiratory_rate", vi.respiratory_rate)], ["Temperature", vitalWith("temperature", vi.temperature)],
      ["Oxygen saturation", vitalWith("oxygen_saturation", vi.oxygen_saturation)], ["Pain score", vitalText("pain", vi.pain)]]} /></section>
    <section><h3>T.I.M.E.</h3><${Dl} rows=${[
      ["Tissue", TISSUE.map(([k, l]) => tissue[`${k}_pct`] != null ? `${l} ${tissue[`${k}_pct`]}%` : null).filter(Boolean).join(", ")],
      ["Odour", inf.odour ? optionLabel("Presence", inf.odour) : null], ["Erythema", inf.erythema ? optionLabel("Presence", inf.erythema) : null],
      inf.erythema_extent_cm != null ? ["Erythema extent", `${inf.erythema_extent_cm} cm`] : null,
      (inf.pain_descriptors || []).length ? ["Pain descriptors", inf.pain_descriptors] : null,
      ["Exudate", moist.exudate_level ? optionLabel("ExudateLevel", moist.exudate_level) : null],
      moist.exudate_consistency ? ["Exudate consistency", optionLabel("ExudateConsistency", moist.exudate_consistency)] : null,
      ["Dressing saturation", moist.dressing_saturation ? optionLabel("DressingSaturation", moist.dressing_saturation) : null],
      ["Edge", edge.condition ? optionLabel("EdgeCondition", edge.condition) : null],
      edge.undermining_depth_cm != null ? ["Undermining depth", `${edge.undermining_depth_cm} cm`] : null,
      edge.epibole ? ["Epibole", optionLabel("Presence", edge.epibole)] : null, ["Notes", t.notes]]} /></section>
    <section><h3>Follow-up questions</h3>
      ${(r.follow_ups || []).length ? html`<ul class="plain small">${r.follow_ups.map((f) => html`<li>${f.question}${" — "}<em>${optionLabel("FollowUpStatus", f.status)}</em>${f.answer ? `: ${f.answer}` : f.dismiss_reason ? `: ${f.dismiss_reason}` : ""}</li>`)}</ul>` : html`<p class="muted">None.</p>`}
    </section>
  </div>`;
}
