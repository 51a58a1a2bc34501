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

/**
 * The record paths the console lets a clinician edit ("*" for a list index). A contract test
 * (tests/test_field_contract.py) holds this list, the record schema and the database to each
 * other: a field added to one of them without the others fails it.
 */
export const FIELD_PATHS = Object.freeze([
  "patient.first_name", "patient.last_name", "patient.preferred_name", "patient.date_of_birth",
  "patient.age", "patient.sex", "patient.mrn", "patient.contact.phone", "patient.contact.email",
  "patient.contact.address", "patient.notes",
  "consent.data_storage", "consent.photography", "consent.team_board_sharing", "consent.method",
  "consent.notes",
  "wound.site", "wound.description", "wound.override_reason", "wound.photography_declined_reason",
  "wound.photos.*.orientation", "wound.photos.*.site",
  "wound.wound_type", "wound.aetiology", "wound.pressure_injury_stage",
  "wound.body_site.region", "wound.body_site.side", "wound.body_site.view",
  "wound.periwound.condition", "wound.measurement.length_cm", "wound.measurement.width_cm",
  "wound.measurement.depth_cm", "wound.measurement.undermining.*.from_clock",
  "wound.measurement.undermining.*.to_clock", "wound.measurement.undermining.*.depth_cm",
  "wound.measurement.tunnelling.*.clock", "wound.measurement.tunnelling.*.depth_cm",
  "vitals.blood_pressure.systolic", "vitals.blood_pressure.diastolic",
  "vitals.heart_rate.value", "vitals.heart_rate.method", "vitals.respiratory_rate.value",
  "vitals.temperature.value", "vitals.temperature.unit", "vitals.temperature.site",
  "vitals.oxygen_saturation.value", "vitals.oxygen_saturation.method",
  "vitals.pain.value", "vitals.pain.scale",
  "vitals.blood_pressure.captured_at", "vitals.blood_pressure.unknown",
  "vitals.heart_rate.captured_at", "vitals.heart_rate.unknown",
  "vitals.respiratory_rate.captured_at", "vitals.respiratory_rate.unknown",
  "vitals.temperature.captured_at", "vitals.temperature.unknown",
  "vitals.oxygen_saturation.captured_at", "vitals.oxygen_saturation.unknown",
  "vitals.pain.captured_at", "vitals.pain.unknown",
  "time_assessment.tissue.granulation_pct", "time_assessment.tissue.slough_pct",
  "time_assessment.tissue.necrotic_pct", "time_assessment.tissue.epithelial_pct",
  "time_assessment.infection.odour", "time_assessment.infection.erythema",
  "time_assessment.infection.erythema_extent_cm", "time_assessment.infection.pain_descriptors",
  "time_assessment.moisture.exudate_level", "time_assessment.moisture.exudate_consistency",
  "time_assessment.moisture.dressing_saturation",
  "time_assessment.edge.condition", "time_assessment.edge.undermining_depth_cm",
  "time_assessment.edge.epibole", "time_assessment.notes",
  "follow_ups.*.answer", "follow_ups.*.dismiss_reason",
]);
