"""The FHIR R4 bundle: codes and units as mapped, zero validator errors, stable identities,
and a signature that notices any change."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest

from tests.handoff import records
from tests.handoff.validator import unresolvable_warnings, validate
from woundcare.crypto.keyring import KeyRing, OrgSigningKeys
from woundcare.domain.enums import WoundType
from woundcare.domain.push import compute_push
from woundcare.domain.record import CaseRecord
from woundcare.handoff.fhir import SignatureInvalid, build_bundle, sign_bundle, verify_bundle
from woundcare.handoff.fhir import codes as c
from woundcare.handoff.fhir.codes import WOUND_TYPE

LOINC, SNOMED, UCUM = c.LOINC, c.SNOMED, c.UCUM


def keys() -> OrgSigningKeys:
    return OrgSigningKeys.from_keyring(KeyRing("v1", {"v1": os.urandom(32)}))


def signed(record: CaseRecord, **ctx: Any) -> dict[str, Any]:
    k = keys()
    kid = k.active_kid(record.organisation_id)
    bundle = sign_bundle(build_bundle(record, records.context(**ctx)), k.private_key(kid), kid)
    bundle["_keys"] = k  # test-only handle, removed before validation
    return bundle


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_code(bundle: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [r for r in resources(bundle, "Observation")
            if any(cd.get("code") == code for cd in r["code"].get("coding", []))]


def component(obs: dict[str, Any], code: str) -> dict[str, Any]:
    (found,) = [comp for comp in obs["component"]
                if comp["code"]["coding"][0]["code"] == code]
    return found


def plain(bundle: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in bundle.items() if k != "_keys"}


CASES = {
    "exported": lambda: records.exported(),
    "measured": lambda: records.with_measurement(records.exported()),
    "unknown_vitals": lambda: records.unknown_vitals(records.exported()),
    "no_photos": lambda: records.declined_sharing_no_photos(records.exported()),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_bundle_passes_the_independent_validator(name: str, tmp_path: Path) -> None:
    push = records.push_score(9, 5, 1, 3) if name == "measured" else None
    bundle = plain(signed(CASES[name](), push=push))
    result = validate(bundle, tmp_path)
    assert result["errors"] == [], result["errors"]
    assert unresolvable_warnings(bundle, result) == []


def test_wound_codes_and_units() -> None:
    record = records.with_measurement(records.exported())
    score = compute_push(record)
    assert score is not None
    bundle = signed(record, push=score)
    (size,) = by_code(bundle, "72287-6")
    for code, value, unit in (("39126-8", 4.2, "cm"), ("39125-0", 2.5, "cm"),
                              ("39127-6", 0.4, "cm"), ("89260-4", 7.9, "cm2")):
        quantity = component(size, code)["valueQuantity"]
        assert quantity == {"value": value, "unit": unit, "system": UCUM, "code": unit}
    media = {e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Media"}
    assert media
    assert {d["reference"] for d in size["derivedFrom"]} <= media

    bed = by_code(bundle, "72371-8")
    tissue = {o["valueCodeableConcept"]["coding"][0]["code"]:
              component(o, "72370-0")["valueQuantity"] for o in bed}
    assert tissue["225541009"]["value"] == 70  # granulation
    assert tissue["449746002"]["value"] == 20  # slough
    assert tissue["449743005"]["value"] == 10  # epithelial
    assert all(q["system"] == UCUM and q["code"] == "%" for q in tissue.values())

    (exudate,) = by_code(bundle, "39116-9")
    assert exudate["valueCodeableConcept"]["coding"][0] == {
        "system": SNOMED, "code": "263865001", "display": "Scanty"}
    (edge,) = by_code(bundle, "72304-9")
    assert edge["valueCodeableConcept"]["coding"][0]["code"] == "449748001"
    (under,) = by_code(bundle, "72293-4")
    assert under["valueQuantity"]["value"] == 1.5
    assert under["valueQuantity"]["code"] == "cm"
    assert component(under, "72294-2")["valueString"] == "from 12 to 3 o'clock"
    (tunnel,) = by_code(bundle, "72296-7")
    assert tunnel["valueQuantity"]["value"] == 2.0
    (push,) = by_code(bundle, "90981-2")
    assert push["valueInteger"] == score.total == 12  # 4.2 x 2.5 -> 8, scant 1, slough 3
    assert {cp["code"]["coding"][0]["code"]: cp["valueInteger"]
            for cp in push["component"]} == {"area_score": 8, "exudate_score": 1,
                                               "tissue_score": 3}
    (condition,) = resources(bundle, "Condition")
    assert condition["code"]["coding"][0] == {"system": SNOMED, "code": "399912005",
                                              "display": "Pressure sore"}
    assert condition["code"]["text"] == "Pressure injury"
    assert condition["bodySite"][0]["coding"][0]["code"] == "7771000"  # left
    assert condition["bodySite"][0]["text"] == "left heel posterior"
    assert condition["stage"][0]["summary"]["text"] == "Pressure injury stage: stage 2 (NPIAP)"
    notes = [n["text"] for n in condition["note"]]
    assert "Aetiology: Prolonged immobility" in notes
    assert "Periwound: macerated, erythematous" in notes  # the list, one item per condition


def test_ruler_measurement_has_no_area(tmp_path: Path) -> None:
    record = records.with_measurement(records.exported(), records.ruler_measurement())
    bundle = signed(record, push=compute_push(record))
    (size,) = by_code(bundle, "72287-6")
    codes = {cp["code"]["coding"][0]["code"] for cp in size["component"]}
    assert codes == {"39126-8", "39125-0", "39127-6"}  # length, width, depth; no 89260-4
    assert size["method"]["text"] == "ruler length width"
    assert by_code(bundle, "72296-7") == []  # no tunnelling recorded
    result = validate(plain(bundle), tmp_path)
    assert result["errors"] == [], result["errors"]


@pytest.mark.parametrize("wound_type", list(WoundType))
def test_every_wound_type_is_coded(wound_type: WoundType) -> None:
    data = records.exported().model_dump(mode="json")
    data["wound"]["wound_type"] = wound_type.value
    bundle = signed(CaseRecord.model_validate(data))
    (condition,) = resources(bundle, "Condition")
    coding = condition["code"]["coding"][0]
    assert (coding["code"], coding["display"]) == WOUND_TYPE[wound_type]
    assert condition["code"]["text"] == wound_type.value.replace("_", " ").capitalize()


def test_vital_signs_on_the_vital_signs_profiles() -> None:
    bundle = signed(records.exported())
    (bp,) = by_code(bundle, "85354-9")
    assert bp["meta"]["profile"] == ["http://hl7.org/fhir/StructureDefinition/bp"]
    assert component(bp, "8480-6")["valueQuantity"] == {
        "value": 121, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}
    assert component(bp, "8462-4")["valueQuantity"]["value"] == 79
    for code, value, unit in (("8867-4", 71, "/min"), ("9279-1", 15, "/min"),
                              ("8310-5", 36.9, "Cel")):
        (obs,) = by_code(bundle, code)
        assert obs["valueQuantity"]["value"] == value
        assert obs["valueQuantity"]["code"] == unit
        assert obs["valueQuantity"]["system"] == UCUM
        assert obs["category"][0]["coding"][0]["code"] == "vital-signs"
    (spo2,) = by_code(bundle, "59408-5")  # recorded as explicitly unknown
    assert {cd["code"] for cd in spo2["code"]["coding"]} == {"59408-5", "2708-6"}
    assert spo2["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    assert "valueQuantity" not in spo2
    (pain,) = by_code(bundle, "72514-3")
    assert pain["valueQuantity"]["value"] == 2
    assert pain["valueQuantity"]["code"] == "{score}"
    (panel,) = by_code(bundle, "85353-1")
    members = {m["reference"] for m in panel["hasMember"]}
    assert len(members) == 5


def test_patient_consent_and_provenance() -> None:
    bundle = signed(records.exported())
    (patient,) = resources(bundle, "Patient")
    mrn = [i for i in patient["identifier"] if i.get("type")]
    assert mrn[0]["system"] == "urn:oid:2.16.840.1.113883.19.5"
    assert mrn[0]["value"] == "ZZTEST-0001"
    assert mrn[0]["type"]["coding"][0]["code"] == "MR"
    (entry,) = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert entry["request"]["ifNoneExist"] == "identifier=urn:oid:2.16.840.1.113883.19.5|" \
                                               "ZZTEST-0001"
    consents = {r["provision"]["action"][0]["coding"][0]["code"]: r
                for r in resources(bundle, "Consent")}
    assert set(consents) == {"data_storage", "photography", "team_board_sharing"}
    assert consents["data_storage"]["provision"]["type"] == "permit"
    assert consents["team_board_sharing"]["provision"]["type"] == "deny"
    assert consents["team_board_sharing"]["status"] == "rejected"
    (prov,) = resources(bundle, "Provenance")
    (signature,) = prov["signature"]
    assert signature["type"][0] == {"system": "urn:iso-astm:E1762-95:2013",
                                    "code": "1.2.840.10065.1.12.1.14",
                                    "display": "Source Signature"}
    assert signature["sigFormat"] == "application/jose"
    assert signature["data"]
    practitioner = [e["fullUrl"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "Practitioner"]
    assert signature["who"]["reference"] == practitioner[0]
    assert prov["agent"][0]["who"]["reference"] == practitioner[0]
    assert prov["agent"][0]["type"]["coding"][0]["code"] == "author"
    targets = {t["reference"] for t in prov["target"]}
    assert {e["fullUrl"] for e in bundle["entry"]
            if e["resource"]["resourceType"] == "Observation"} <= targets


def test_every_entry_is_a_conditional_create_with_a_stable_identity() -> None:
    record = records.exported()
    first = build_bundle(record, records.context())
    again = build_bundle(record, records.context())
    urls = [e["fullUrl"] for e in first["entry"]]
    assert len(urls) == len(set(urls))
    assert urls == [e["fullUrl"] for e in again["entry"]]
    for entry in first["entry"]:
        request = entry["request"]
        assert request["method"] == "POST"
        assert request["ifNoneExist"]
        assert request["url"] == entry["resource"]["resourceType"]


def test_signature_verifies_and_any_change_breaks_it() -> None:
    bundle = signed(records.exported())
    k: OrgSigningKeys = bundle.pop("_keys")
    verified = verify_bundle(bundle, lambda kid: k.private_key(kid).public_key())
    assert verified.kid.startswith(str(records.exported().organisation_id))
    tampered = copy.deepcopy(bundle)
    (bp,) = by_code(tampered, "85354-9")
    bp["component"][0]["valueQuantity"]["value"] = 180
    with pytest.raises(SignatureInvalid):
        verify_bundle(tampered, lambda kid: k.private_key(kid).public_key())
    other = keys()
    with pytest.raises(SignatureInvalid):
        verify_bundle(bundle, lambda kid: other.private_key(kid).public_key())
    (prov,) = resources(bundle, "Provenance")
    prov["signature"][0]["data"] = "bm90IGEgandz"
    with pytest.raises(SignatureInvalid):
        verify_bundle(bundle, lambda kid: k.private_key(kid).public_key())


def test_each_organisation_has_its_own_key() -> None:
    k = keys()
    a = k.private_key("00000000-0000-4000-8000-0000000000a1/" + k.active_version)
    b = k.private_key("00000000-0000-4000-8000-0000000000b2/" + k.active_version)
    assert a.public_key().public_numbers() != b.public_key().public_numbers()  # type: ignore[attr-defined]
    again = k.private_key("00000000-0000-4000-8000-0000000000a1/" + k.active_version)
    assert a.private_numbers() == again.private_numbers()  # type: ignore[attr-defined]
