// Labels the console shows for states, statuses, record paths and blocker codes.

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

export const STATUS_LABEL = { draft: "Draft", ready_for_review: "Ready for review", locked: "Locked" };
export const TIMELINE_LABEL = { done: "Done", current: "Current", blocked: "Blocked", todo: "To do" };

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
  "wound.site": "Wound site",
  "wound.description": "Wound description",
  "wound.override_reason": "Override reason",
  "time_assessment.tissue": "Tissue percentages",
  "time_assessment.moisture.exudate_level": "Exudate level",
};

/** A readable name for a record path ("vitals.heart_rate.value" -> "Heart rate value"). */
export function fieldLabel(path) {
  if (FIELD_LABELS[path]) return FIELD_LABELS[path];
  const words = path
    .replace(/^time_assessment\./, "")
    .split(".")
    .filter((p) => !/^\d+$/.test(p))
    .map((p) => p.replace(/_pct$/, " %").replace(/_/g, " "));
  const text = words.join(" › ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Short phrases for blocker codes in the case list. */
export function blockerLabel(code) {
  const known = {
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
  if (known[code]) return known[code];
  return code.replace(/\./g, " ").replace(/_/g, " ");
}

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

export function when(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
