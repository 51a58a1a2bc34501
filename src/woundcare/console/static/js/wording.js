// The one wording table: every word the console shows for a state, an event, a status, an
// enum value, a record path, a blocker code, an actor or a unit. Nothing internal (state
// names, event names, enum values, key ids, codes) reaches the screen without passing through
// here; tests/e2e/test_wording.py checks that every enum value of the Python domain has a
// label below and walks every step looking for internal names on the screen.

export const STEPS = [
  ["START", "Start"],
  ["BIO_INTAKE", "Bio and consent"],
  ["WOUND_IMAGING", "Wound imaging"],
  ["VITALS", "Vitals"],
  ["TIME", "T.I.M.E."],
  ["FOLLOW_UP", "Follow-up"],
  ["REVIEW", "Review"],
  ["ASSEMBLE_JSON", "Assemble"],
  ["LINK_TO_CLINICIAN", "Sign"],
  ["STORE_SYNC", "Export"],
  ["DONE", "Done"],
];
export const STEP_LABEL = Object.fromEntries(STEPS);

/** What happened, in words (provenance entries and refusals). */
export const EVENT_LABEL = {
  CREATE: "Case created",
  BEGIN: "Intake begun",
  BIO_CONFIRMED: "Bio and consent confirmed",
  IMAGING_CONFIRMED: "Wound imaging confirmed",
  VITALS_CAPTURED: "Vitals confirmed",
  TIME_CAPTURED: "T.I.M.E. assessment confirmed",
  FOLLOW_UP_RESOLVED: "Follow-up questions closed",
  REVIEW_COMPLETED: "Review confirmed",
  JSON_ASSEMBLED: "Record assembled and encrypted",
  CLINICIAN_LINKED: "Record signed",
  STORED: "Record exported and locked",
  ROLLBACK: "Stepped back",
  RESET: "Next visit started",
};

export const STATUS_LABEL = { draft: "Draft", ready_for_review: "Ready for review", locked: "Locked" };
export const TIMELINE_LABEL = { done: "Done", current: "Current", blocked: "Blocked", todo: "To do" };

// Enum values (woundcare.domain.enums) -> words. Keys are the Python enum class names.
export const OPTIONS = {
  Sex: { female: "Female", male: "Male", intersex: "Intersex", unspecified: "Unspecified" },
  ConsentStatus: { not_recorded: "Not recorded", granted: "Granted", declined: "Declined" },
  ConsentKind: { data_storage: "Data storage", photography: "Photography", team_board_sharing: "Team board sharing" },
  ConsentMethod: { verbal: "Verbal", written: "Written", electronic: "Electronic", unknown: "Unknown" },
  Orientation: { anterior: "Anterior", posterior: "Posterior", lateral: "Lateral", superior: "Superior",
    inferior: "Inferior", unspecified: "Unspecified" },
  CheckResult: { pass: "Passed", fail: "Needs a retake", unknown: "Could not be checked" },
  PainScale: { nrs: "Numeric", vrs: "Verbal", flacc: "FLACC", unknown: "Unknown" },
  TemperatureUnit: { C: "°C", F: "°F" },
  TemperatureSite: { oral: "Oral", axillary: "Axillary", tympanic: "Tympanic (ear)", temporal: "Temporal (forehead)",
    rectal: "Rectal", unknown: "Unknown" },
  MeasurementMethod: { manual: "Manual", device: "Device", unknown: "Unknown" },
  ExudateLevel: { none: "None", scant: "Scant", moderate: "Moderate", heavy: "Heavy", unknown: "Unknown" },
  ExudateConsistency: { serous: "Serous", sanguineous: "Sanguineous", serosanguineous: "Serosanguineous",
    purulent: "Purulent", other: "Other", unknown: "Unknown" },
  DressingSaturation: { none: "None", partial: "Partial", full: "Full", unknown: "Unknown" },
  Presence: { absent: "Absent", present: "Present", unknown: "Unknown" },
  EdgeCondition: { attached: "Attached", unattached: "Unattached", rolled: "Rolled", macerated: "Macerated",
    undermined: "Undermined", unknown: "Unknown" },
  FollowUpStatus: { pending: "Open", resolved: "Answered", dismissed: "Dismissed" },
  FollowUpReason: { missing: "Missing", contradiction: "Contradiction", ambiguous: "Unclear" },
  ArtifactKind: { image: "Photo", audio: "Voice note", document: "Document" },
  ActorKind: { person: "Clinician", agent: "Assistant", system: "System" },
  CaseStatus: STATUS_LABEL,
  WorkflowState: STEP_LABEL,
  Role: { clinician: "Clinician", org_admin: "Organisation admin" },
  WoundType: { pressure_injury: "Pressure injury", venous_leg_ulcer: "Venous leg ulcer", arterial_ulcer: "Arterial ulcer",
    diabetic_foot_ulcer: "Diabetic foot ulcer", surgical_wound: "Surgical wound", traumatic_wound: "Traumatic wound",
    burn: "Burn", skin_tear: "Skin tear", moisture_associated: "Moisture-associated skin damage", other: "Other" },
  PressureInjuryStage: { stage_1: "Stage 1", stage_2: "Stage 2", stage_3: "Stage 3", stage_4: "Stage 4",
    unstageable: "Unstageable", deep_tissue_injury: "Deep tissue injury" },
  BodyRegion: { head: "Head", face: "Face", ear: "Ear", occiput: "Back of head (occiput)", neck: "Neck",
    shoulder: "Shoulder", chest: "Chest", abdomen: "Abdomen", upper_back: "Upper back", lower_back: "Lower back",
    sacrum: "Sacrum", coccyx: "Coccyx", buttock: "Buttock", ischium: "Ischium", hip: "Hip", groin: "Groin",
    perineum: "Perineum", upper_arm: "Upper arm", elbow: "Elbow", forearm: "Forearm", wrist: "Wrist", hand: "Hand",
    thigh: "Thigh", knee: "Knee", lower_leg: "Lower leg", ankle: "Ankle", heel: "Heel", foot: "Foot", toe: "Toe" },
  BodySide: { left: "Left", right: "Right", midline: "Midline" },
  BodyView: { anterior: "Front", posterior: "Back" },
  PeriwoundCondition: { intact: "Intact", macerated: "Macerated", erythematous: "Erythematous (red)",
    indurated: "Indurated (firm)", dry_scaly: "Dry or scaly", excoriated: "Excoriated", callused: "Callused",
    oedematous: "Oedematous (swollen)" },
  WoundMeasurementMethod: { traced_outline: "Traced outline", ruler_length_width: "Ruler (length × width)" },
};

/** [value, label] pairs for a select or radio group, in the table's order. */
export const choices = (kind) => Object.entries(OPTIONS[kind]);

/** The word for one enum value ("granted" -> "Granted"); "—" when not given. */
export function optionLabel(kind, value) {
  if (value == null || value === "") return "—";
  const table = OPTIONS[kind] || {};
  return table[value] || "Other";
}

/** The software assistants that act in each step, by their provenance name. */
export const AGENT_LABEL = {
  bio: "intake assistant", wound_imaging: "imaging assistant", vitals: "vitals assistant",
  time: "T.I.M.E. assistant", follow_up: "follow-up assistant", review: "review assistant",
  data_steward: "record assembler", security: "signing check", export: "export",
};

const FIELD_LABELS = {
  "patient.first_name": "First name",
  "patient.last_name": "Last name",
  "patient.preferred_name": "Preferred name",
  "patient.date_of_birth": "Date of birth",
  "patient.age": "Age",
  "patient.sex": "Sex",
  "patient.mrn": "MRN",
  "patient.contact.phone": "Phone",
  "patient.contact.email": "Email",
  "patient.contact.address": "Address",
  "patient.notes": "Patient notes",
  "consent.data_storage": "Consent: data storage",
  "consent.photography": "Consent: photography",
  "consent.team_board_sharing": "Consent: team board sharing",
  "consent.method": "How consent was given",
  "consent.notes": "Consent notes",
  "wound.site": "Wound site",
  "wound.description": "Wound description",
  "wound.override_reason": "Override reason",
  "wound.photography_declined_reason": "Reason for no photos",
  "wound.photos": "Photos",
  "time_assessment.tissue": "Tissue percentages",
  "time_assessment.moisture.exudate_level": "Exudate level",
  "time_assessment.moisture.exudate_consistency": "Exudate consistency",
  "time_assessment.moisture.dressing_saturation": "Dressing saturation",
  "time_assessment.infection.odour": "Odour",
  "time_assessment.infection.erythema": "Erythema",
  "time_assessment.infection.erythema_extent_cm": "Erythema extent",
  "time_assessment.infection.pain_descriptors": "Pain descriptors",
  "time_assessment.edge.condition": "Edge condition",
  "time_assessment.edge.undermining_depth_cm": "Undermining depth",
  "time_assessment.edge.epibole": "Epibole",
  "time_assessment.notes": "T.I.M.E. notes",
  review: "Review", seal: "Encryption", pin_linkage: "Signature", export: "Export",
  follow_ups: "Follow-up questions",
};
const SEGMENT = {
  blood_pressure: "Blood pressure", heart_rate: "Heart rate", respiratory_rate: "Respiratory rate",
  temperature: "Temperature", oxygen_saturation: "Oxygen saturation", pain: "Pain score",
  systolic: "systolic", diastolic: "diastolic", unit: "unit", method: "method", site: "site",
  scale: "scale", captured_at: "time captured", unknown: "unknown", orientation: "orientation",
  granulation_pct: "granulation %", slough_pct: "slough %", necrotic_pct: "necrotic %",
  epithelial_pct: "epithelial %",
};

/** A readable name for a record path ("vitals.heart_rate.value" -> "Heart rate"). */
export function fieldLabel(path) {
  if (!path) return "";
  if (FIELD_LABELS[path]) return FIELD_LABELS[path];
  const parts = path.split(".");
  if (parts[0] === "wound" && parts[1] === "photos") {
    const n = /^\d+$/.test(parts[2] || "") ? ` ${Number(parts[2]) + 1}` : "";
    const rest = parts.slice(3).map((p) => SEGMENT[p] || p.replace(/_/g, " ")).join(" ");
    return `Photo${n}${rest ? ` ${rest}` : ""}`;
  }
  if (parts[0] === "follow_ups") return `Follow-up question${/^\d+$/.test(parts[1] || "") ? ` ${Number(parts[1]) + 1}` : ""}`;
  const words = parts
    .filter((p) => !["vitals", "time_assessment", "value", "tissue", "patient", "consent"].includes(p) && !/^\d+$/.test(p))
    .map((p) => SEGMENT[p] || p.replace(/_pct$/, " %").replace(/_cm$/, "").replace(/_/g, " "));
  const text = words.join(", ") || "Record";
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const BLOCKERS = {
  "patient.name.missing": "name missing",
  "patient.dob_or_age.missing": "date of birth or age missing",
  "consent.data_storage.missing": "storage consent not recorded",
  "consent.data_storage.declined": "storage consent declined",
  "consent.photography.missing": "photography consent not recorded",
  "photos.missing": "no photo",
  "photos.quality": "no photo passed quality checks",
  "time.tissue.total": "tissue total over 100%",
  "time.exudate.missing": "exudate level missing",
  "follow_up.pending": "follow-up questions open",
  "review.attestation.missing": "review not attested",
  "pin.linkage.missing": "not signed",
  "pin.linkage.stale": "signature out of date",
  "export.missing": "not exported",
};

/** Short phrases for blocker codes in the case list. */
export function blockerLabel(code) {
  if (BLOCKERS[code]) return BLOCKERS[code];
  if (/^vitals\./.test(code)) return "vitals incomplete";
  if (/^seal|encrypt/.test(code)) return "not assembled";
  return "something to complete";
}

/** A problem's sentence as the clinician should read it. The server's sentences are already
 * plain; the few that name internal things are said again here. */
const REWRITES = [
  [/^[A-Z_]+ is blocked: (\d+) item\(s\) need attention\.?$/, (_, n) =>
    `This step cannot be completed yet: ${n === "1" ? "1 thing needs" : `${n} things need`} attention (listed at the top of the step).`],
  [/^The event [A-Z_]+ is not allowed while the case is in ([A-Z_]+)\.?$/, (_, s) =>
    `That cannot be done at this step (the case is at ${STEP_LABEL[s] || "another step"}). Reload the case to see where it is.`],
  [/^0 new question\(s\) to answer or dismiss\.?$/, () => null],
  [/^(\d+) new question\(s\) to answer or dismiss\.?$/, (_, n) =>
    `${n === "1" ? "1 new question" : `${n} new questions`} to answer or dismiss.`],
  [/^The record is assembled; \d+ sensitive field\(s\) are encrypted\.?$/, () =>
    "The record is assembled; the patient's details are encrypted."],
  [/(\d+) sensitive field\(s\) changed after encryption/, (_, n) =>
    `${n === "1" ? "1 detail" : `${n} details`} changed after encryption`],
  [/Temperature in ([CF]) /, (_, u) => `Temperature in °${u} `],
  [/(\d+) attempt\(s\) left/, (_, n) => `${n} ${n === "1" ? "attempt" : "attempts"} left`],
  [/(\d+) item\(s\)/, (_, n) => `${n} ${n === "1" ? "item" : "items"}`],
  [/(\d+) field\(s\)/, (_, n) => `${n} ${n === "1" ? "field" : "fields"}`],
  [/^0 question\(s\) still open\.?$/, () => "No questions left open."],
  [/^1 question\(s\) still open\.?$/, () => "1 question still open."],
];
// Any other "(s)" plural the server says: the count decides the word.
const PLURAL = /\b(\d+) ([a-z]+)\(s\)/g;

/** The sentence to show for a server message, or null when there is nothing worth saying. */
export function plainMessage(text) {
  if (text == null) return null;
  let out = String(text);
  for (const [pattern, fn] of REWRITES) {
    const found = out.match(pattern);
    if (!found) continue;
    const value = fn(...found);
    if (value === null) return null;
    out = out.replace(pattern, value);
  }
  return out.replace(PLURAL, (_, n, word) => `${n} ${n === "1" ? word : `${word}s`}`);
}

const PAIN_SCALE_TEXT = { nrs: "numeric rating scale", vrs: "verbal rating scale", flacc: "FLACC scale" };

/** "37.2 °C", "98.6 °F", "5 of 10 (numeric rating)" — a vital as words and units. */
export function vitalText(name, m) {
  if (!m) return null;
  if (m.unknown) return "Not measured (unknown)";
  let text = null;
  if (name === "blood_pressure") {
    if (m.systolic != null || m.diastolic != null) text = `${m.systolic ?? "—"}/${m.diastolic ?? "—"} mmHg`;
  } else if (m.value != null) {
    if (name === "temperature") text = `${m.value} ${OPTIONS.TemperatureUnit[m.unit] || ""}`.trim();
    else if (name === "pain") text = `${m.value} of 10${PAIN_SCALE_TEXT[m.scale] ? ` (${PAIN_SCALE_TEXT[m.scale]})` : ""}`;
    else if (name === "heart_rate") text = `${m.value} beats per minute`;
    else if (name === "respiratory_rate") text = `${m.value} breaths per minute`;
    else if (name === "oxygen_saturation") text = `${m.value}%`;
    else text = String(m.value);
  }
  if (text && m.captured_at) text += ` · ${when(m.captured_at)}`;
  return text;
}

const DESTINATIONS = { archive: "the archive" };
export const destinationLabel = (name) => DESTINATIONS[name] || String(name).replace(/[_-]/g, " ");

const MEDIA = { "application/pdf": "PDF", "text/plain": "Text", "image/jpeg": "JPEG image", "image/png": "PNG image" };
export const mediaLabel = (type) => MEDIA[type] || (String(type || "").startsWith("audio/") ? "Audio" : "File");

// The neutral retake requests of the imaging agent (woundcare.domain.imaging.RETAKE_REQUESTS),
// used when a photo's stored checklist is shown after a reload (the upload response's
// messages are preferred when present).
export const RETAKE = {
  framing: "Please retake the photo with the whole wound in the frame and centred.",
  focus: "The photo appears out of focus; please retake it holding the camera steady.",
  lighting: "The lighting looks too dark, too bright or has glare; please retake the photo in even light.",
  scale: "The measuring marker could not be read clearly (too small, blurred, partly covered or badly lit); please retake the photo with the whole marker flat beside the wound.",
  identifier: "No case identifier label was found; please retake the photo with the label in view.",
};

/** Audit actions (service.audit record_audit's names) in words, for the audit trail. */
export const AUDIT_ACTION = {
  "auth.login": "Logged in", "auth.logout": "Logged out", "auth.password": "Changed password",
  "auth.pin": "Set signing PIN", "case.create": "Created a case", "case.list": "Listed cases",
  "case.read": "Opened a case", "case.parse": "Read free text", "case.event": "Moved a case to another step",
  "case.consent": "Recorded consent", "case.step.bio": "Entered patient details",
  "case.step.imaging": "Worked on wound imaging", "case.step.vitals": "Entered vitals",
  "case.step.time": "Entered the T.I.M.E. assessment", "case.step.follow_up": "Answered a follow-up question",
  "case.step.review": "Confirmed a review", "case.step.assemble": "Assembled a record",
  "case.step.pin": "Signed a record", "case.step.export": "Exported a record",
  "case.step.artifact": "Uploaded a file", "artifact.upload": "Uploaded a file",
  "artifact.download": "Viewed a file", "artifact.parse": "Read a document",
  "provenance.read": "Read a case's history", "provenance.verify": "Checked a case's history",
  "case.delegate": "Shared a case", "case.undelegate": "Withdrew a shared case",
  "case.break_glass": "Break-glass access to a case", "case.duplicates": "Checked for a known patient",
  "case.next_visit": "Planned the next visit", "admin.clinician.create": "Invited a clinician",
  "admin.clinician.role": "Changed a role", "admin.pin_reset": "Reset a PIN",
  "admin.sessions_revoked": "Logged someone out everywhere", "admin.org.create": "Created an organisation",
  "admin.audit.read": "Read the audit trail", "admin.delegations.read": "Read the shared cases",
};
export const AUDIT_OUTCOME = { success: "Done", failure: "Failed", denied: "Not allowed", refused: "Refused", conflict: "Conflict" };

/** Why an administrator opens a case they do not own (break-glass), as the API's codes. */
export const BREAK_GLASS_REASON = {
  emergency_care: "Emergency care", patient_safety: "Patient safety", continuity_of_care: "Continuity of care",
  legal_or_regulatory: "Legal or regulatory request", data_quality_review: "Data quality review",
};

/** A case as administrators see it: a short reference, never the patient. */
export const caseRef = (id) => `Case ${String(id).slice(0, 8).toUpperCase()}`;

/** Messages the console itself says (toasts, confirmations). */
export const SAY = {
  refusedStep: "This step cannot be completed yet; what is missing is listed at the top of the step.",
  offline: "The server cannot be reached; try again in a moment.",
  consoleBug: "Something went wrong in the console; reload the page.",
  notSavedYet: "Some changes are not saved yet; wait for them to be saved (or correct them) first.",
  sessionEnded: "Your session ended. Log in again to continue; nothing you typed is lost.",
  pinRule: "A PIN is 4 to 12 digits (numbers only).",
};

export function when(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function day(iso) {
  if (!iso) return "—";
  const d = new Date(`${String(iso).slice(0, 10)}T00:00:00`);
  if (Number.isNaN(d.getTime())) return "—";
  return d.toLocaleDateString(undefined, { dateStyle: "medium" });
}
