"""Every sentence the workflow shows a person, as a template with typed slots.

Ids are grouped by where the sentence appears: ``blocker.*`` (why a step cannot close),
``agent.*`` (what a step did), ``question.*`` (follow-up questions), ``retake.*`` (photo
requests), ``problem.*`` (why a value was refused), ``error.*`` (refusals), ``notice.*``
and ``statement.*``. Slot kinds are in :class:`~woundcare.messages.catalogue.SlotKind`; a
label slot takes one of :data:`FIELD_LABELS` only.

To add a sentence: add a template here, render it with :func:`woundcare.messages.say`;
``tests/guardrail/test_message_catalogue.py`` renders every template with every label and
representative numbers and runs it through the no-advice guardrail.
"""

from __future__ import annotations

from woundcare.messages.catalogue import SlotKind, Template

C, N, L, LS, K, KS, U = (SlotKind.COUNT, SlotKind.NUMBER, SlotKind.LABEL, SlotKind.LABELS,
                         SlotKind.CODE, SlotKind.CODES, SlotKind.UNIT)

VITAL_LABELS: dict[str, str] = {
    "blood_pressure": "Blood pressure",
    "heart_rate": "Heart rate",
    "respiratory_rate": "Respiratory rate",
    "temperature": "Temperature",
    "oxygen_saturation": "Oxygen saturation",
    "pain": "Pain score",
}
TIME_LABELS: dict[str, str] = {
    "time_assessment.tissue": "tissue percentages",
    "time_assessment.infection.odour": "odour",
    "time_assessment.infection.erythema": "erythema",
    "time_assessment.moisture.exudate_level": "exudate level",
    "time_assessment.edge.condition": "edge condition",
}
PATIENT_LABELS: dict[str, str] = {
    "patient.first_name": "first name",
    "patient.last_name": "last name",
    "patient.preferred_name": "preferred name",
    "patient.date_of_birth": "date of birth",
    "patient.age": "age",
    "patient.sex": "sex",
    "patient.mrn": "record number (MRN)",
    "patient.contact.phone": "phone number",
    "patient.contact.email": "email address",
    "consent.data_storage": "data storage",
    "consent.photography": "photography",
    "consent.team_board_sharing": "team board sharing",
}
VALUE_PARTS: tuple[str, ...] = ("systolic", "diastolic")
FIELD_LABELS: frozenset[str] = frozenset(
    {*VITAL_LABELS.values(), *TIME_LABELS.values(), *PATIENT_LABELS.values(), *VALUE_PARTS,
     "value"}
)


def field_label(path: str) -> str:
    """The catalogued label of a record path ("value" when it has none)."""
    for table in (PATIENT_LABELS, TIME_LABELS):
        if path in table:
            return table[path]
    tail = path.rsplit(".", 1)[-1]
    if tail in VITAL_LABELS:
        return VITAL_LABELS[tail]
    for table in (PATIENT_LABELS,):
        for key, label in table.items():
            if key.rsplit(".", 1)[-1] == tail:
                return label
    return "value"


TEMPLATES: tuple[Template, ...] = (
    # ------------------------------------------------------------------ blockers
    Template("blocker.consent.data_storage.declined",
             "The patient declined data storage, so this case cannot continue."),
    Template("blocker.consent.data_storage.missing",
             "Record the patient's consent to data storage."),
    Template("blocker.patient.name.missing", "Enter the patient's first or preferred name."),
    Template("blocker.patient.dob_or_age.missing", "Enter the patient's date of birth or age."),
    Template("blocker.photos.stored_without_consent",
             "Photography consent was declined; remove the stored photos."),
    Template("blocker.photos.declined_reason.missing",
             "Photography was declined; note that as the reason to close this step."),
    Template("blocker.consent.photography.missing",
             "Record whether the patient consents to photography."),
    Template("blocker.photos.missing",
             "Add at least one wound photo, or record an override with a reason."),
    Template("blocker.photos.quality",
             "No photo has passed the quality checks yet; retake one, or record an override "
             "with a reason."),
    Template("blocker.vital.missing", "{label}: enter a value or mark it unknown.",
             {"label": L}),
    Template("blocker.vital.unit.missing", "{label}: give its unit.", {"label": L}),
    Template("blocker.vital.captured_at.missing", "{label}: give the time it was captured.",
             {"label": L}),
    Template("blocker.vital.part.missing", "{label}: enter the {part} value too.",
             {"label": L, "part": L}),
    Template("blocker.time.tissue.total", "Tissue percentages together can be at most 100."),
    Template("blocker.time.exudate.missing", "Choose the exudate level, or mark it unknown."),
    Template("blocker.follow_up.pending", "Answer this question or dismiss it with a reason."),
    Template("blocker.review.attestation.missing", "Confirm that you reviewed the whole record."),
    Template("blocker.encryption.not_assembled",
             "The record has not been assembled and encrypted yet."),
    Template("blocker.encryption.changed",
             "The record changed after it was assembled; assemble it again."),
    Template("blocker.encryption.unsealed",
             "{count} sensitive field(s) changed after encryption; assemble the record again.",
             {"count": C}),
    Template("blocker.pin.linkage.missing", "Sign the record with your PIN."),
    Template("blocker.pin.linkage.stale", "The record changed after it was signed; sign it again."),
    Template("blocker.encryption.missing", "The record has not been encrypted."),
    Template("blocker.export.missing", "Export the record to lock and store it."),
    # ------------------------------------------------------------------ agent messages
    Template("agent.bio.still_to_complete", "Still to complete: {labels}.", {"labels": LS}),
    Template("agent.bio.filled_from_text",
             "{count} field(s) were filled from the text; please check them.", {"count": C}),
    Template("agent.bio.unclear_values",
             "{count} value(s) were unclear and became follow-up questions.", {"count": C}),
    Template("agent.bio.consent_proposed",
             "The text mentions consent ({labels}); it was not recorded. Please confirm consent "
             "with the patient and record it in the consent section.", {"labels": LS}),
    Template("agent.bio.suspicious_instruction",
             "The text contains wording that reads like an instruction to the system; it was "
             "ignored. Please check the source."),
    Template("agent.vitals.still_to_record", "Still to record: {labels}.", {"labels": LS}),
    Template("agent.follow_up.still_open", "{count} question(s) still open.", {"count": C}),
    Template("agent.follow_up.new_questions",
             "{count} new question(s) to answer or dismiss.", {"count": C}),
    Template("agent.follow_up.answer_saved", "The answer was saved to the record."),
    Template("agent.follow_up.consent_answer_kept",
             "Consent is recorded in the consent section; the answer was kept as a note."),
    Template("agent.steward.assembled",
             "The record is assembled; {count} sensitive field(s) are encrypted.", {"count": C}),
    Template("agent.security.signed", "The record is signed."),
    Template("agent.export.exported", "Exported to {destinations}; the record is locked.",
             {"destinations": KS}),
    Template("agent.workflow.new_visit",
             "A new visit was started; the finished record is unchanged."),
    # ------------------------------------------------------------------ follow-up questions
    Template("question.age_dob_disagree",
             "Date of birth and age disagree; which one is correct?"),
    Template("question.sex", "What is the patient's sex (female, male, intersex or unspecified)?"),
    Template("question.mrn", "Does the patient have a medical record number to add?"),
    Template("question.team_board_sharing",
             "Has the patient been asked about sharing this case with the team board?"),
    Template("question.wound_site", "Where on the body is the wound?"),
    Template("question.photo_orientation",
             "Which view does photo {number} show (for example anterior or lateral)?",
             {"number": C}),
    Template("question.vital_unknown", "{label} was marked unknown; can it be recorded now?",
             {"label": L}),
    Template("question.pain_scale", "Which pain scale was used for the pain score?"),
    Template("question.tissue",
             "What share of the wound bed is granulation, slough, necrotic and epithelial "
             "tissue?"),
    Template("question.odour", "Is there any odour from the wound?"),
    Template("question.erythema_extent",
             "How far does the erythema extend from the wound edge, in cm?"),
    Template("question.exudate_contradiction",
             "Exudate is recorded as none but the dressing was saturated; which is correct?"),
    Template("question.dressing_saturation", "Was the dressing saturated when it was removed?"),
    Template("question.edge_condition", "How would you describe the wound edge?"),
    Template("question.undermining_depth", "How deep is the undermining, in cm?"),
    Template("question.text_differs",
             "The text gives a different {label} from the one entered; which one is correct?",
             {"label": L}),
    Template("question.consent_differs",
             "The text gives a different {label} consent from the one recorded; which one is "
             "correct?", {"label": L}),
    Template("question.undecided",
             "The {label} could not be decided from the text. Which is correct?", {"label": L}),
    Template("question.dob_readings",
             "The date of birth can be read in more than one way. Which is correct?"),
    Template("question.confirm_detail", "Please confirm this detail with the patient."),
    # ------------------------------------------------------------------ photo requests
    Template("retake.framing",
             "Please retake the photo with the whole wound in the frame and centred."),
    Template("retake.focus",
             "The photo appears out of focus; please retake it holding the camera steady."),
    Template("retake.lighting",
             "The lighting looks too dark, too bright or has glare; please retake the photo in "
             "even light."),
    Template("retake.scale",
             "The measuring marker could not be read clearly (too small, blurred, partly "
             "covered or badly lit); please retake the photo with the whole marker flat beside "
             "the wound."),
    Template("retake.identifier",
             "No case identifier label was found; please retake the photo with the label in "
             "view."),
    # ------------------------------------------------------------------ statements, notices
    Template("statement.review",
             "I have reviewed the whole record and it is complete and accurate to my "
             "knowledge."),
    Template("notice.neutral_pointer",
             "This is a clinical question for the care team; the system records facts only."),
    Template("notice.intake.model_filled",
             "Some details were suggested by the language model and found in the text."),
    Template("notice.intake.model_rejected",
             "A language-model suggestion that is not in the text was discarded."),
    Template("notice.intake.truncated", "Only the first {count} characters were read.",
             {"count": C}),
    # Remarks a language model may choose by id (it never writes text that is shown).
    Template("notice.intake.name_unclear", "The patient's name is unclear in the text."),
    Template("notice.intake.surname_unclear", "The surname is unclear."),
    Template("notice.intake.dob_unclear", "The date of birth is unclear in the text."),
    Template("notice.intake.mrn_missing", "The record number is missing."),
    Template("notice.intake.several_people",
             "The text mentions more than one person; check whose details were read."),
    Template("notice.intake.handwriting", "Part of the text could not be read."),
    # Remarks of the offline intake parser.
    Template("notice.intake.suspicious_instruction",
             "Text that reads like an instruction to the system was found; it was not read for "
             "consent. Please check the source."),
    Template("notice.intake.consent_mixed",
             "Both a grant and a decline of {label} consent were found; the latest statement "
             "is proposed. Please confirm it.", {"label": L}),
    Template("notice.intake.ocr_digits",
             "Letters that look like digits (l, I, O, S) were read as digits in a date of "
             "birth; please check it."),
    # Why a document or voice note gave no text.
    Template("error.document.no_text",
             "No text was found in this document; please type what it says."),
    Template("error.document.unsupported",
             "Text can only be read from plain text, PDF, images of letters and WAV voice "
             "notes."),
    Template("error.document.only_wav",
             "Only WAV voice notes can be transcribed on this server; please record or export "
             "the note as WAV."),
    Template("error.document.audio_too_long", "Voice notes up to {count} minutes are read.",
             {"count": C}),
    Template("error.document.audio_format", "This WAV sample format is not supported."),
    Template("error.document.pdf_protected",
             "The PDF is password-protected, so its text cannot be read."),
    Template("error.document.pdf_unreadable", "The PDF could not be read."),
    Template("error.document.pdf_no_render",
             "This PDF has no text layer, and its pages cannot be rendered on this server; "
             "please type what it says."),
    Template("error.document.pdf_render_failed", "The PDF's pages could not be rendered."),
    Template("error.document.image_too_large", "The image is too large to read."),
    Template("error.document.ocr_unavailable",
             "Text cannot be read from images on this server; please type what the document "
             "says."),
    Template("error.document.ocr_timeout",
             "Reading the image took too long; please type what the document says."),
    Template("error.document.speech_unavailable",
             "Voice notes cannot be transcribed on this server; please type what the note "
             "says."),
    Template("error.document.damaged",
             "The document could not be read; it may be damaged. Please type what it says."),
    # ------------------------------------------------------------------ refusals (agents)
    Template("error.free_text_unavailable", "Free-text intake is not available on this server."),
    Template("error.export.already_exported", "This record was already exported and locked."),
    Template("error.export.consent_storage", "Export needs consent to data storage."),
    Template("error.export.consent_board",
             "Sharing to the team board needs the patient's consent to team-board sharing."),
    Template("error.export.not_signed", "Export needs a current PIN signature."),
    Template("error.export.not_encrypted", "Export needs the record to be encrypted."),
    Template("error.photo.consent",
             "Photography consent is not granted, so no photo can be stored for this case."),
    Template("error.photo.not_uploaded", "Upload the photo before adding it."),
    Template("error.photo.duplicate", "This photo is already on the record."),
    Template("error.photo.unknown", "No such photo on this record."),
    Template("error.artifact.duplicate", "This file is already registered."),
    Template("error.steward.incomplete",
             "{count} item(s) from earlier steps are incomplete; roll back to complete them.",
             {"count": C}),
    Template("error.steward.no_encryption", "Encryption is not configured on this server."),
    Template("error.follow_up.unknown", "No such follow-up question on this case."),
    Template("error.follow_up.closed", "This question is already closed."),
    # Why a follow-up answer is not a valid value for its field (the question stays open).
    Template("problem.answer.choice", "Please answer with one of: {choices}.",
             {"choices": KS}),
    Template("problem.answer.range", "Please answer with a number from {low} to {high}.",
             {"low": N, "high": N}),
    Template("problem.answer.range_unit",
             "Please answer with a number from {low} to {high} {unit}.",
             {"low": N, "high": N, "unit": U}),
    Template("problem.answer.name",
             "Please answer with the name only (letters, spaces, hyphens and apostrophes)."),
    Template("problem.answer.length", "Please answer in at most {count} characters.",
             {"count": C}),
    Template("problem.answer.mrn",
             "Please answer with the medical record number (letters and digits, with at least "
             "one digit), or none."),
    Template("problem.answer.dob_one",
             "Please answer with one date of birth, for example 1950-03-04."),
    Template("problem.answer.dob_range",
             "That date of birth is in the future or more than 120 years ago; please check it."),
    Template("problem.answer.dob_readings",
             "That date can be read in more than one way; please write it as year-month-day, "
             "for example 1950-03-04."),
    Template("problem.answer.blood_pressure",
             "Please answer with the blood pressure as systolic/diastolic, for example 120/80."),
    Template("problem.answer.invalid", "The answer is not valid."),
    Template("error.security.consent",
             "Consent to data storage is no longer granted, so the record cannot be signed."),
    Template("error.security.no_pin", "PIN signing is not configured on this server."),
    # ------------------------------------------------------------------ domain errors
    Template("error.invalid_event",
             "The event {event} is not allowed while the case is in {state}.",
             {"event": K, "state": K}),
    Template("error.guard_failed", "{event} is blocked: {count} item(s) need attention.",
             {"event": K, "count": C}),
    Template("error.wrong_step",
             "The case is in {state}; {step} input is not accepted in this step.",
             {"state": K, "step": K}),
    Template("error.record_locked",
             "This record is finished and locked; start a new visit to record new information."),
    Template("error.validation", "Some fields need attention."),
    Template("error.version_conflict",
             "The case was changed by someone else (or another device); reload it and continue "
             "from the current version."),
    Template("error.case_not_found", "No such case."),
    Template("error.pin_rejected", "The PIN was not accepted."),
    # ------------------------------------------------------------------ field problems
    Template("problem.missing", "This field is required."),
    Template("problem.extra_forbidden", "This field is not part of the record."),
    Template("problem.whole_number", "Enter a whole number."),
    Template("problem.number", "Enter a number."),
    Template("problem.yes_no", "Enter yes or no."),
    Template("problem.text", "Enter text."),
    Template("problem.date", "Enter a date as YYYY-MM-DD."),
    Template("problem.datetime", "Enter a date and time with its time zone (ISO 8601)."),
    Template("problem.timezone",
             "Give the time with its time zone (for example 2026-01-31T09:30:00Z)."),
    Template("problem.identifier", "This is not a valid identifier."),
    Template("problem.choice", "Choose one of the listed options."),
    Template("problem.format", "This value is not in the expected format."),
    Template("problem.pin_rule", "A PIN is 4 to 12 digits (numbers only)."),
    Template("problem.value", "This value is not valid."),
    Template("problem.object", "This should be an object with fields."),
    Template("problem.list", "This should be a list."),
    Template("problem.json", "The request body is not valid JSON."),
    Template("problem.at_least", "Must be at least {limit}.", {"limit": N}),
    Template("problem.at_most", "Must be at most {limit}.", {"limit": N}),
    Template("problem.more_than", "Must be more than {limit}.", {"limit": N}),
    Template("problem.less_than", "Must be less than {limit}.", {"limit": N}),
    Template("problem.not_empty", "This field cannot be empty."),
    Template("problem.min_length", "Enter at least {count} characters.", {"count": C}),
    Template("problem.max_length", "Enter at most {count} characters.", {"count": C}),
    Template("problem.max_items", "At most {count} items are allowed.", {"count": C}),
    Template("problem.choose_of", "Choose one of: {options}.", {"options": KS}),
    Template("problem.date_in_future", "Date of birth cannot be in the future."),
    Template("problem.date_too_old",
             "Date of birth is more than {count} years ago; please check it.", {"count": C}),
    Template("problem.phone_format",
             "Phone number should contain 5 to 15 digits, optionally with a +."),
    Template("problem.unknown_with_value", "A value marked unknown cannot also have a value."),
    Template("problem.bp_order", "Systolic pressure must be higher than diastolic pressure."),
    Template("problem.temperature_range_any",
             "Temperature must be between {low} and {high} in any unit; please check the value "
             "and give its unit.", {"low": N, "high": N}),
    Template("problem.temperature_range",
             "Temperature in {unit} must be between {low} and {high}; please check the value "
             "and its unit.", {"unit": U, "low": N, "high": N}),
    Template("problem.tissue_total",
             "Tissue percentages add up to {total}; together they can be at most 100.",
             {"total": N}),
    Template("problem.answer_required", "A resolved follow-up needs an answer."),
    Template("problem.reason_required", "A dismissed follow-up needs a reason."),
    Template("problem.unknown_artifact", "A photo refers to a file that was not uploaded."),
    Template("problem.bio_empty", "Send patient fields, consent, or free text."),
    Template("problem.follow_up_target", "Say which follow-up question this is about."),
    Template("problem.answer_or_reason",
             "Give either an answer or a reason to dismiss, not both."),
    # ------------------------------------------------------------------ service and API
    # (their call sites keep the sentence; tests match each one against these templates)
    Template("error.api.admin_role", "This needs the organisation administrator role."),
    Template("error.api.own_admin_role",
             "You cannot remove your own administrator role; ask another administrator."),
    Template("error.api.clinician_exists", "A clinician with this e-mail address already exists."),
    Template("error.api.delegate_owner",
             "Only the case owner or an organisation administrator can delegate a case."),
    Template("error.api.delegation_owner",
             "Only the case owner or an organisation administrator can change delegations."),
    Template("error.api.login_throttled", "Too many log-in attempts; wait a while and try again."),
    Template("error.api.login_failed", "The e-mail address or password is not correct."),
    Template("error.api.session_invalid", "Your session is not valid; log in again."),
    Template("error.api.session_revoked", "You were logged out; log in again."),
    Template("error.api.account_inactive", "This account is not active."),
    Template("error.api.session_expired", "Your session has expired; log in again."),
    Template("error.api.password_wrong", "The current password is not correct."),
    Template("error.api.login_required", "Log in to continue."),
    Template("error.api.rate_limited", "Too many requests; wait a moment and try again."),
    Template("error.api.not_found", "No such {what}.", {"what": K}),
    Template("error.api.pin_not_set", "Set your signing PIN first (Account, then Signing PIN)."),
    Template("error.api.pin_attempts_left",
             "The PIN was not accepted; {count} attempt(s) left before PIN signing is locked "
             "for a while.", {"count": C}),
    Template("error.api.pin_not_own", "A record can only be signed with your own PIN."),
    Template("error.api.idempotency_reused",
             "This Idempotency-Key was already used for a different request; use a new key for "
             "a new request."),
    Template("error.api.idempotency_invalid",
             "Idempotency-Key must be 1 to {count} printable characters.", {"count": C}),
    Template("error.api.file_too_large", "The file is larger than the limit of {count} MB.",
             {"count": C}),
    Template("error.api.file_empty", "The file is empty."),
    Template("error.api.file_type",
             "This file is not an accepted {kind} type ({types}); the type is read from the "
             "file's content.", {"kind": K, "types": KS}),
    Template("error.api.file_type_mismatch",
             "The file's content does not match the type it was sent as."),
    Template("error.api.image_unreadable", "The image could not be read."),
    Template("error.api.not_a_document", "Only documents and voice notes can be read as text."),
    Template("error.api.unreadable_request", "The request could not be read."),
    Template("error.api.no_route", "There is nothing at this address."),
    Template("error.api.method", "This method is not allowed here."),
    Template("error.api.too_large", "The request body is too large."),
    Template("error.api.media_type", "This media type is not accepted."),
    Template("error.api.internal",
             "Something went wrong on our side. Quote the request id if you report it."),
    Template("error.api.failed", "The request failed."),
    Template("error.api.csrf",
             "The CSRF token is missing or wrong; reload the page and try again."),
    Template("error.api.if_match_missing",
             'Send the version you are changing in the If-Match header, e.g. If-Match: "14".'),
    Template("error.api.if_match_format",
             'If-Match must be the case version in quotes, e.g. "14".'),
    Template("error.api.bearer", "Send the token as 'Authorization: Bearer <token>'."),
    Template("error.api.multipart", "Send the file as multipart/form-data."),
    Template("error.api.json_body",
             "Send the request body as JSON (Content-Type: application/json)."),
    Template("error.api.invitations_throttled",
             "Too many invitations in a short time; wait a while."),
    Template("error.api.email_unusable",
             "This e-mail address cannot be used for a new account. If the person already works "
             "here, find them in the list of clinicians; otherwise ask for another work address."),
    Template("error.api.break_glass_reason",
             "Opening a case you are not on is a break-glass access: choose a reason."),
    Template("error.api.address_unusable", "This address cannot be used."),
    Template("error.api.break_glass_choose", "Choose a reason for break-glass access."),
    Template("error.api.password_checks_throttled",
             "Too many password checks; wait a while and try again."),
    Template("error.api.idempotency_in_progress",
             "A request with this Idempotency-Key is still being processed; retry in a moment to "
             "get its result."),
    Template("error.api.image_too_large",
             "The image is {width} x {height} pixels; the limit is {limit} megapixels. Send a "
             "smaller photo.", {"width": C, "height": C, "limit": C}),
    Template("error.api.image_too_many_pixels", "The image has too many pixels."),
    Template("error.api.image_damaged",
             "The image could not be read; it may be damaged or incomplete."),
    Template("error.api.document_unreadable",
             "The document could not be read; it may be damaged. Please type what it says."),
    Template("error.api.sign_in_busy",
             "The server is busy checking other sign-ins; try again in a moment."),
    Template("error.source_not_in_case", "The source document is not one of this case's files."),
    Template("error.api.not_exported",
             "This case has not been signed and exported yet; export it first."),
    Template("error.api.report_render_failed",
             "The report could not be rendered; an administrator can retry it from the "
             "dead-letter list."),
    Template("error.api.retry_dead_letter_only", "Only a dead-lettered delivery can be retried."),
    Template("error.api.shred_exported_only",
             "Only an exported case is shredded; an unexported case is not stored for hand-off."),
    Template("error.api.shred_needs_withdrawal",
             "Record the withdrawal of consent to data storage first (consent: data storage "
             "declined)."),
    Template("error.api.no_shred_request", "No pending shred request."),
)
