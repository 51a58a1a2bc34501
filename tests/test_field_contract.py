"""The record schema, the database and the console's field paths agree.

Three sources describe a case's fields: the record schema (``CaseRecord``), the database
(``cases`` columns, the JSON payload and the encrypted fields) and the console
(``FIELD_PATHS`` in console/static/js/paths.js, and the ``path`` of every input in the
panels). Adding a field to one of them without the others - or without deciding, below, that
the console does not edit it or that it is not PHI - fails one of these tests.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from woundcare.domain.record import CaseRecord
from woundcare.domain.sensitive import SENSITIVE_FIELD_PATTERNS
from woundcare.storage.schema import cases

CONSOLE = Path(__file__).resolve().parents[1] / "src" / "woundcare" / "console" / "static" / "js"

# Record fields the console shows but does not edit, and why.
NOT_EDITED_IN_CONSOLE: dict[str, str] = {
    **dict.fromkeys(["case_id", "organisation_id", "owner_id", "created_at", "updated_at",
                     "version", "state", "status", "visit_number", "previous_case_id"],
                    "identity and bookkeeping, kept by the server"),
    **dict.fromkeys(["consent.captured_by", "consent.captured_at", "consent.history.*.*"],
                    "recorded by the server when consent changes"),
    **dict.fromkeys(["wound.photos.*.artifact_id", "wound.photos.*.scale_reference_present",
                     "wound.photos.*.cm_per_pixel", "wound.photos.*.quality.*",
                     "wound.photos.*.retake_requested", "wound.retake_required"],
                    "set by the upload and the imaging agent"),
    **dict.fromkeys(["vitals.blood_pressure.unit", "vitals.heart_rate.unit",
                     "vitals.respiratory_rate.unit", "vitals.oxygen_saturation.unit",
                     "vitals.temperature.celsius"],
                    "fixed units and derived values, set by the vitals agent"),
    **dict.fromkeys(["time_assessment.assessed_by", "time_assessment.assessed_at"],
                    "recorded by the T.I.M.E. agent"),
    **dict.fromkeys(["follow_ups.*.follow_up_id", "follow_ups.*.question",
                     "follow_ups.*.field_path", "follow_ups.*.reason", "follow_ups.*.status",
                     "follow_ups.*.created_at", "follow_ups.*.resolved_at",
                     "follow_ups.*.resolved_by"],
                    "asked and tracked by the follow-up agent"),
    **dict.fromkeys(["artifacts.*.*"], "set by the upload"),
    **dict.fromkeys(["patient_id", "wound_id"],
                    "patient and wound identity, kept by the server across visits"),
    **dict.fromkeys(["wound.measurement.method", "wound.measurement.photo_artifact_id",
                     "wound.measurement.outline", "wound.measurement.marker_detected",
                     "wound.measurement.cm_per_pixel", "wound.measurement.area_cm2",
                     "wound.measurement.perimeter_cm", "wound.measurement.length_convention",
                     "wound.measurement.measured_at", "wound.measurement.measured_by"],
                    "computed by the server from the outline traced on a photo (the console "
                    "sends the outline to the measure endpoint, not as a field)"),
    **dict.fromkeys(["review.*", "pin_linkage.*", "seal.*", "export.*"],
                    "written by an action (attest, sign, assemble, export), not a field"),
}

# Free-text record fields that are not encrypted, and why they carry no PHI.
FREE_TEXT_NOT_PHI: dict[str, str] = {
    "wound.site": "a body location ('left heel'), needed in the clear for worklists",
    "wound.photos.*.site": "a body location, as wound.site",
    "follow_ups.*.question": "written by the follow-up agent from fixed templates",
    "follow_ups.*.field_path": "a record path",
    "review.statement": "the fixed attestation sentence",
    "seal.key_version": "a key version label",
    "wound.measurement.length_convention": "a fixed convention name set by the server",
}

# ``cases`` columns: the record field each mirrors, or why it is storage-only.
RECORD_COLUMNS = {"id": "case_id", "organisation_id": "organisation_id",
                  "owner_id": "owner_id", "state": "state", "status": "status",
                  "version": "version", "consent_data_storage": "consent.data_storage",
                  "visit_number": "visit_number", "previous_case_id": "previous_case_id",
                  "created_at": "created_at", "updated_at": "updated_at",
                  "patient_id": "patient_id", "wound_id": "wound_id"}
STORAGE_ONLY_COLUMNS = {
    "payload": "the record's JSON without the sensitive values",
    "encrypted_fields": "the sensitive values, each encrypted under the case's data key",
    "wrapped_dek": "the case's data key, wrapped", "key_version": "its key-encryption key",
    "mrn_hash": "keyed hash for MRN search", "provenance_head": "provenance chain head",
    "provenance_count": "provenance chain length",
    "timeline_counts": "provenance entries per workflow state (the snapshot's timeline)",
}


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        options = [_resolve(o, defs) for o in node["anyOf"] if o.get("type") != "null"]
        if len(options) == 1:
            return options[0]
    return node


def _leaves(node: dict[str, Any], defs: dict[str, Any], prefix: str = ""
            ) -> Iterator[tuple[str, dict[str, Any]]]:
    node = _resolve(node, defs)
    if node.get("type") == "object" and "properties" in node:
        for key, child in node["properties"].items():
            yield from _leaves(child, defs, f"{prefix}.{key}" if prefix else key)
        return
    if node.get("type") == "array":
        items = _resolve(node.get("items", {}), defs)
        if items.get("type") == "object" and "properties" in items:
            yield from _leaves(items, defs, prefix + ".*")
            return
    yield prefix, node


def record_leaves() -> dict[str, dict[str, Any]]:
    schema = CaseRecord.model_json_schema()
    return dict(_leaves(schema, schema.get("$defs", {})))


def console_field_paths() -> list[str]:
    source = (CONSOLE / "paths.js").read_text()
    block = re.search(r"export const FIELD_PATHS = Object\.freeze\(\[(.*?)\]\);", source, re.S)
    assert block, "paths.js must export FIELD_PATHS"
    return re.findall(r'"([^"]+)"', block.group(1))


def panel_input_paths() -> list[tuple[str, str]]:
    """(file, path pattern) of every ``path=`` a field, fieldset or message list in the
    console is given; template parts (``${...}``) become ``*``."""
    found = []
    for file in sorted(CONSOLE.rglob("*.js")):
        text = file.read_text()
        for literal in re.findall(r'\bpath="([^"]+)"', text):
            found.append((file.name, literal))
        for template in re.findall(r"\bpath=\$\{`([^`]+)`\}", text):
            found.append((file.name, re.sub(r"\$\{[^}]+\}", "*", template)))
    return found


def _covered(path: str, patterns: list[str] | dict[str, str]) -> bool:
    return any(path == p or fnmatch.fnmatchcase(path, p) for p in patterns)


def test_every_console_field_is_a_record_field() -> None:
    leaves = record_leaves()
    unknown = [p for p in console_field_paths() if p not in leaves]
    assert not unknown, f"paths.js FIELD_PATHS names fields the record does not have: {unknown}"


def test_every_record_field_is_edited_in_the_console_or_declared_not_to_be() -> None:
    fields = console_field_paths()
    undecided = [p for p in record_leaves()
                 if p not in fields and not _covered(p, NOT_EDITED_IN_CONSOLE)]
    assert not undecided, (
        "record fields neither in the console's FIELD_PATHS nor declared server-managed "
        f"in NOT_EDITED_IN_CONSOLE: {undecided}")
    both = [p for p in fields if _covered(p, NOT_EDITED_IN_CONSOLE)]
    assert not both, f"declared server-managed but edited in the console: {both}"
    stale = [p for p in NOT_EDITED_IN_CONSOLE
             if not any(fnmatch.fnmatchcase(leaf, p) for leaf in record_leaves())]
    assert not stale, f"NOT_EDITED_IN_CONSOLE names fields that no longer exist: {stale}"


def test_every_input_in_the_panels_edits_a_listed_field() -> None:
    roots = {path.split(".", 1)[0] for path in record_leaves()}
    fields = console_field_paths()
    inputs = [(file, p) for file, p in panel_input_paths()
              if p.startswith("*") or p.split(".", 1)[0] in roots]
    assert len(inputs) >= 40
    # a path may name a field or a group of fields (a fieldset, a list's messages)
    unlisted = [(file, p) for file, p in inputs
                if not any(fnmatch.fnmatchcase(field, p) or fnmatch.fnmatchcase(field, p + ".*")
                           for field in fields)]
    assert not unlisted, f"console inputs for paths missing from FIELD_PATHS: {unlisted}"


def test_the_cases_table_mirrors_the_record() -> None:
    leaves = record_leaves()
    columns = {column.name for column in cases.columns}
    unmapped = columns - set(RECORD_COLUMNS) - set(STORAGE_ONLY_COLUMNS)
    assert not unmapped, f"cases columns with no record field and no reason: {unmapped}"
    gone = (set(RECORD_COLUMNS) | set(STORAGE_ONLY_COLUMNS)) - columns
    assert not gone, f"mapped columns that the table no longer has: {gone}"
    missing = [field for field in RECORD_COLUMNS.values() if field not in leaves]
    assert not missing, f"columns mirror record fields that no longer exist: {missing}"


def test_sensitive_paths_exist_and_every_free_text_field_is_encrypted() -> None:
    leaves = record_leaves()
    dangling = [p for p in SENSITIVE_FIELD_PATTERNS if not _covered(p, list(leaves))
                and not any(fnmatch.fnmatchcase(leaf, p) for leaf in leaves)]
    assert not dangling, f"sensitive patterns that match no record field: {dangling}"
    free_text = [path for path, node in leaves.items()
                 if node.get("type") == "string" and "enum" not in node
                 and node.get("format") not in ("uuid", "date-time")
                 and not str(node.get("pattern", "")).startswith(("^[0-9a-f]", "^[a-z]+/"))
                 and not re.fullmatch(r"\^[^\[\]()*+?]*\$", str(node.get("pattern", "")))]
    assert "patient.first_name" in free_text
    unprotected = [p for p in free_text
                   if not _covered(p, list(SENSITIVE_FIELD_PATTERNS))
                   and p not in FREE_TEXT_NOT_PHI]
    assert not unprotected, (
        f"free-text record fields stored in the clear: {unprotected}; add them to "
        "SENSITIVE_FIELD_PATTERNS (encrypted) or to FREE_TEXT_NOT_PHI with the reason")
