"""The record of a signed visit as a FHIR R4 (4.0.1) transaction Bundle.

Pure: record + context in, JSON-ready dict out; nothing is read or written here. Every
resource is built as a dict, checked by its ``fhir.resources.R4B`` model (R4B is R4 plus a
few new resources; the resources used here are unchanged between R4 and R4B, and ``Media``
still exists in both, unlike R5) and serialised back from the model. The independent check
is the Medplum validator on the R4 definitions in CI (tests/handoff).

Identity: every resource gets a stable ``urn:uuid`` (UUIDv5 of the case id and the resource's
role) as ``fullUrl`` and as an ``urn:ietf:rfc:3986`` identifier, and its transaction entry is a
conditional create (``ifNoneExist`` on that identifier; the Patient on the MRN when there is
one; the Provenance, which has no identifier in R4, on a ``meta.tag``). A retried delivery
therefore never duplicates anything on the receiving server.

The wound fields (``wound.wound_type``, ``aetiology``, ``pressure_injury_stage``,
``body_site``, ``periwound.condition`` (a list) and ``measurement``) are read from the record
model (:mod:`woundcare.domain.record`); PUSH is the :class:`woundcare.domain.push.PushScore`
the service computes with :func:`woundcare.domain.push.compute_push`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from fhir.resources.R4B import get_fhir_model_class

from woundcare.domain.enums import ConsentKind, ConsentStatus, Sex
from woundcare.domain.push import PushScore
from woundcare.domain.record import BodySite, CaseRecord, Measurement, Wound, WoundMeasurement
from woundcare.handoff.fhir import codes as c

#: Namespace of the export's resource ids (UUIDv5): fixed forever, changing it would make a
#: re-delivery look like new resources.
NAMESPACE = UUID("6f1f2b52-8f4e-4b8e-9a57-3a4f8f0b9c11")
EXPORT_TAG_SYSTEM = "urn:woundcare:fhir:export"
FHIR_VERSION = "4.0.1"


@dataclass(frozen=True)
class PhotoBytes:
    media_type: str
    data: bytes


@dataclass(frozen=True)
class ExportContext:
    """What the mapping needs besides the record (the service fills it in)."""

    organisation_name: str
    clinician_name: str
    mrn_system: str
    generated_at: datetime
    photos: Mapping[UUID, PhotoBytes] = field(default_factory=dict)
    push: PushScore | None = None  # compute_push(record), or None (not computable / disabled)


def resource_uuid(case_id: UUID, role: str) -> UUID:
    return uuid5(NAMESPACE, f"{case_id}/{role}")


def urn(value: UUID) -> str:
    return f"urn:uuid:{value}"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _validated(resource: dict[str, Any]) -> dict[str, Any]:
    """Round-trip through the fhir.resources model: unknown elements or wrong types fail."""
    import json

    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    out: dict[str, Any] = json.loads(model.model_dump_json())
    return out


class _Builder:
    def __init__(self, record: CaseRecord, ctx: ExportContext) -> None:
        self.r = record
        self.ctx = ctx
        self.entries: list[dict[str, Any]] = []
        self.case = record.case_id
        linkage = record.pin_linkage
        self.signer_id = linkage.clinician_id if linkage else record.owner_id
        self.signed_at = linkage.signed_at if linkage else record.updated_at
        self.patient = self.ref("patient")
        self.practitioner = urn(uuid5(NAMESPACE, f"clinician/{self.signer_id}"))
        self.organisation = urn(uuid5(NAMESPACE, f"organisation/{record.organisation_id}"))
        self.encounter = self.ref("encounter")
        self.condition = self.ref("condition")
        self.media_refs: dict[UUID, str] = {}

    # ---------------------------------------------------------------- plumbing

    def ref(self, role: str) -> str:
        return urn(resource_uuid(self.case, role))

    def add(self, full_url: str, resource: dict[str, Any], *,
            if_none_exist: str | None = None) -> str:
        ident = f"identifier={c.RFC3986}|{full_url}"
        if "identifier" in _IDENTIFIED and resource["resourceType"] in _IDENTIFIED["identifier"]:
            resource.setdefault("identifier", []).append({"system": c.RFC3986,
                                                          "value": full_url})
        else:
            resource["meta"] = {**resource.get("meta", {}), "tag": [
                {"system": EXPORT_TAG_SYSTEM, "code": full_url.removeprefix("urn:uuid:")}]}
            ident = f"_tag={EXPORT_TAG_SYSTEM}|{full_url.removeprefix('urn:uuid:')}"
        self.entries.append({
            "fullUrl": full_url,
            "resource": _validated(resource),
            "request": {"method": "POST", "url": resource["resourceType"],
                        "ifNoneExist": if_none_exist or ident},
        })
        return full_url

    def observation(self, role: str, code: tuple[str, str] | dict[str, Any], *,
                    category: str = "exam",
                    effective: datetime | None = None, **fields: Any) -> str:
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [c.coding(c.OBS_CATEGORY, category,
                                              "Vital Signs" if category == "vital-signs"
                                              else "Exam")]}],
            "code": code if isinstance(code, dict) else c.loinc(*code),
            "subject": {"reference": self.patient},
            "encounter": {"reference": self.encounter},
            "effectiveDateTime": _iso(effective or self.assessed_at()),
            "performer": [{"reference": self.practitioner}],
            **fields,
        }
        if category == "exam":
            resource["focus"] = [{"reference": self.condition}]
        return self.add(self.ref(role), resource)

    def assessed_at(self) -> datetime:
        return self.r.time_assessment.assessed_at or self.signed_at

    # ---------------------------------------------------------------- people

    def build_people(self) -> None:
        self.add(self.organisation, {
            "resourceType": "Organization", "active": True,
            "name": self.ctx.organisation_name,
            "identifier": [{"system": "urn:woundcare:organisation",
                            "value": str(self.r.organisation_id)}],
        })
        self.add(self.practitioner, {
            "resourceType": "Practitioner", "active": True,
            "name": [{"text": self.ctx.clinician_name}],
            "identifier": [{"system": "urn:woundcare:clinician",
                            "value": str(self.signer_id)}],
        })
        p = self.r.patient
        patient: dict[str, Any] = {"resourceType": "Patient", "identifier": []}
        if_none = None
        if p.mrn:
            patient["identifier"].append({
                "use": "usual",
                "type": {"coding": [c.coding(c.V2_0203, "MR", "Medical record number")]},
                "system": self.ctx.mrn_system, "value": p.mrn,
            })
            if_none = f"identifier={self.ctx.mrn_system}|{p.mrn}"
        name: dict[str, Any] = {"use": "official"}
        if p.last_name:
            name["family"] = p.last_name
        if p.first_name:
            name["given"] = [p.first_name]
        if len(name) > 1:
            patient["name"] = [name]
        if p.preferred_name:
            patient.setdefault("name", []).append({"use": "usual", "given": [p.preferred_name]})
        if p.date_of_birth:
            patient["birthDate"] = p.date_of_birth.isoformat()
        if p.sex:
            patient["gender"] = {Sex.FEMALE: "female", Sex.MALE: "male",
                                 Sex.INTERSEX: "other", Sex.UNSPECIFIED: "unknown"}[p.sex]
        telecom = []
        if p.contact.phone:
            telecom.append({"system": "phone", "value": p.contact.phone})
        if p.contact.email:
            telecom.append({"system": "email", "value": str(p.contact.email)})
        if telecom:
            patient["telecom"] = telecom
        if p.contact.address:
            patient["address"] = [{"text": p.contact.address}]
        patient["managingOrganization"] = {"reference": self.organisation}
        self.add(self.patient, patient, if_none_exist=if_none)

    def build_encounter(self) -> None:
        period = {"start": _iso(self.r.created_at), "end": _iso(self.signed_at)}
        self.add(self.encounter, {
            "resourceType": "Encounter", "status": "finished",
            "class": c.coding(c.ACT_CODE, "AMB", "ambulatory"),
            "type": [{"text": f"Wound-care visit {self.r.visit_number}"}],
            "subject": {"reference": self.patient},
            "participant": [{"individual": {"reference": self.practitioner}}],
            "period": period,
            "serviceProvider": {"reference": self.organisation},
        })

    def build_condition(self) -> None:
        wound = self.r.wound
        wound_type = wound.wound_type
        code_value, display = (c.WOUND_TYPE[wound_type] if wound_type is not None
                               else c.WOUND_GENERIC)
        label = _words(wound_type).capitalize() if wound_type is not None else "Wound"
        condition: dict[str, Any] = {
            "resourceType": "Condition",
            "clinicalStatus": {"coding": [c.coding(c.CONDITION_CLINICAL, "active")]},
            "verificationStatus": {"coding": [c.coding(c.CONDITION_VER, "confirmed")]},
            "category": [{"coding": [c.coding(c.CONDITION_CATEGORY, "encounter-diagnosis",
                                              "Encounter Diagnosis")]}],
            "code": {"coding": [c.coding(c.SNOMED, code_value, display)], "text": label},
            "subject": {"reference": self.patient},
            "encounter": {"reference": self.encounter},
            "recordedDate": _iso(self.signed_at),
            "asserter": {"reference": self.practitioner},
        }
        site = _body_site(wound)
        if site:
            condition["bodySite"] = [site]
        stage = wound.pressure_injury_stage
        if stage is not None:
            condition["stage"] = [{"summary": {
                "text": f"Pressure injury stage: {_words(stage)} (NPIAP)"}}]
        notes = []
        if wound.aetiology:
            notes.append(f"Aetiology: {wound.aetiology}")
        if wound.description:
            notes.append(wound.description)
        if wound.periwound is not None and wound.periwound.condition:
            periwound = ", ".join(_words(item) for item in wound.periwound.condition)
            notes.append(f"Periwound: {periwound}")
        if self.r.time_assessment.notes:
            notes.append(f"T.I.M.E. notes: {self.r.time_assessment.notes}")
        if notes:
            condition["note"] = [{"text": text} for text in notes]
        self.add(self.condition, condition)

    # ---------------------------------------------------------------- photos

    def build_media(self) -> None:
        for index, photo in enumerate(self.r.wound.photos):
            artifact = self.r.artifact(photo.artifact_id)
            if artifact is None:
                continue
            content: dict[str, Any] = {"contentType": artifact.media_type,
                                       "size": artifact.size_bytes,
                                       "title": f"Wound photo {index + 1}",
                                       "creation": _iso(artifact.created_at)}
            blob = self.ctx.photos.get(photo.artifact_id)
            if blob is not None:
                content["data"] = base64.b64encode(blob.data).decode("ascii")
                content["hash"] = base64.b64encode(
                    hashlib.sha1(blob.data, usedforsecurity=False).digest()).decode("ascii")
            media: dict[str, Any] = {
                "resourceType": "Media", "status": "completed",
                "type": {"coding": [c.coding(c.MEDIA_TYPE, "image", "Image")]},
                "subject": {"reference": self.patient},
                "encounter": {"reference": self.encounter},
                "createdDateTime": _iso(artifact.created_at),
                "operator": {"reference": self.practitioner},
                "content": content,
            }
            if photo.site or self.r.wound.site:
                media["bodySite"] = {"text": photo.site or self.r.wound.site}
            if photo.orientation.value != "unspecified":
                media["view"] = {"text": photo.orientation.value}
            if photo.cm_per_pixel:
                media["note"] = [{"text": f"Scale: {photo.cm_per_pixel:g} cm per pixel"}]
            self.media_refs[photo.artifact_id] = self.add(
                self.ref(f"media/{photo.artifact_id}"), media)

    def derived_from(self, artifact_id: UUID | None) -> list[dict[str, str]]:
        if artifact_id is not None and artifact_id in self.media_refs:
            return [{"reference": self.media_refs[artifact_id]}]
        return [{"reference": ref} for ref in self.media_refs.values()]

    # ---------------------------------------------------------------- wound observations

    def build_wound_observations(self) -> None:
        m = self.r.wound.measurement
        if m is not None:
            self.build_size(m)
        self.build_tissue()
        self.build_exudate()
        self.build_edge()
        self.build_undermining(m)
        self.build_tunnelling(m)
        self.build_push()
        self.build_local_findings()

    def build_size(self, m: WoundMeasurement) -> None:
        # A ruler measurement has no area (the model refuses one): length x width would
        # overestimate it, so no 89260-4 component is made up from them.
        components = []
        for value, code, unit in ((m.length_cm, c.WOUND_LENGTH, "cm"),
                                  (m.width_cm, c.WOUND_WIDTH, "cm"),
                                  (m.depth_cm, c.WOUND_DEPTH, "cm"),
                                  (m.area_cm2, c.WOUND_AREA, "cm2")):
            if value is not None:
                components.append({"code": c.loinc(*code),
                                   "valueQuantity": c.quantity(_num(value), unit)})
        if not components:
            return
        fields: dict[str, Any] = {"component": components,
                                  "method": {"text": _words(m.method)}}
        derived = self.derived_from(m.photo_artifact_id)
        if derived:
            fields["derivedFrom"] = derived
        self.observation("wound-size", c.WOUND_SIZE_PANEL, effective=m.measured_at, **fields)

    def build_tissue(self) -> None:
        tissue = self.r.time_assessment.tissue
        for attr, (code, display) in c.TISSUE.items():
            pct = getattr(tissue, attr)
            if pct is None:
                continue
            self.observation(
                f"wound-bed/{attr}", c.WOUND_BED_APPEARANCE,
                valueCodeableConcept=c.concept(c.SNOMED, code, display),
                component=[{"code": c.loinc(*c.WOUND_BED_AREA_PCT),
                            "valueQuantity": c.quantity(_num(pct), "%")}])

    def build_exudate(self) -> None:
        level = self.r.time_assessment.moisture.exudate_level
        if level is None or level.value not in c.EXUDATE:
            return
        code, display = c.EXUDATE[level.value]
        self.observation("exudate-amount", c.EXUDATE_AMOUNT,
                         valueCodeableConcept=c.concept(c.SNOMED, code, display))

    def build_edge(self) -> None:
        condition = self.r.time_assessment.edge.condition
        if condition is None or condition.value == "unknown":
            return
        coded = c.EDGE.get(condition.value)
        value = (c.concept(c.SNOMED, coded[0], coded[1], condition.value) if coded
                 else {"text": condition.value})
        self.observation("edge", c.EDGE_DESCRIPTION, valueCodeableConcept=value)

    def build_undermining(self, m: WoundMeasurement | None) -> None:
        items = m.undermining if m is not None else []
        for index, item in enumerate(items):
            clock = f"from {item.from_clock} to {item.to_clock} o'clock"
            self.observation(f"undermining/{index}", c.UNDERMINING_LENGTH,
                             valueQuantity=c.quantity(_num(item.depth_cm), "cm"),
                             component=[{"code": c.loinc(*c.UNDERMINING_CLOCK),
                                         "valueString": clock}],
                             derivedFrom=self.derived_from(None) or None)
        depth = self.r.time_assessment.edge.undermining_depth_cm
        if not items and depth is not None:
            self.observation("undermining/edge", c.UNDERMINING_LENGTH,
                             valueQuantity=c.quantity(_num(depth), "cm"))

    def build_tunnelling(self, m: WoundMeasurement | None) -> None:
        items = m.tunnelling if m is not None else []
        for index, item in enumerate(items):
            self.observation(f"tunnelling/{index}", c.TUNNELLING_LENGTH,
                             valueQuantity=c.quantity(_num(item.depth_cm), "cm"),
                             component=[{"code": c.loinc(*c.TUNNELLING_CLOCK),
                                         "valueString": f"{item.clock} o'clock"}],
                             derivedFrom=self.derived_from(None) or None)

    def build_push(self) -> None:
        push = self.ctx.push
        if push is None:
            return
        code = {"coding": [c.coding(c.LOINC, *c.PUSH_TOTAL),
                           c.coding(c.LOCAL_PUSH, "total", "PUSH total score")],
                "text": "PUSH Tool 3.0 total score"}
        components = []
        for attr, label, value in (
                ("area_score", "Length x width sub-score", push.area_score),
                ("exudate_score", "Exudate amount sub-score", push.exudate_score),
                ("tissue_score", "Tissue type sub-score", push.tissue_score)):
            components.append({"code": {"coding": [c.coding(c.LOCAL_PUSH, attr, label)],
                                        "text": label},
                               "valueInteger": value})
        resource: dict[str, Any] = {"valueInteger": push.total, "component": components}
        self.observation("push", code, category="survey", **resource)

    def build_local_findings(self) -> None:
        """T.I.M.E. findings without an IG code: sent with a local code and plain text."""
        ta = self.r.time_assessment
        findings: list[tuple[str, str, Any]] = [
            ("odour", "Wound odour", ta.infection.odour),
            ("erythema", "Periwound erythema", ta.infection.erythema),
            ("epibole", "Epibole (rolled edge)", ta.edge.epibole),
            ("exudate-consistency", "Exudate consistency", ta.moisture.exudate_consistency),
            ("dressing-saturation", "Dressing saturation", ta.moisture.dressing_saturation),
        ]
        for role, label, value in findings:
            if value is None or value.value == "unknown":
                continue
            self.observation(f"finding/{role}", _local(role, label), valueString=value.value)
        if ta.infection.erythema_extent_cm is not None:
            self.observation("finding/erythema-extent",
                             _local("erythema-extent", "Periwound erythema extent"),
                             valueQuantity=c.quantity(_num(ta.infection.erythema_extent_cm),
                                                      "cm"))

    # ---------------------------------------------------------------- vital signs

    def build_vitals(self) -> None:
        v = self.r.vitals
        members: list[str] = []

        def vital(name: str, code: tuple[str, str] | dict[str, Any], m: Measurement,
                  **value: Any) -> None:
            fields: dict[str, Any] = {"meta": {"profile": [c.VITAL_PROFILES[name]]}}
            if m.unknown:
                fields["dataAbsentReason"] = {"coding": [c.coding(c.DATA_ABSENT, "unknown",
                                                                  "Unknown")]}
            elif not value:
                return
            fields.update(value)
            members.append(self.observation(f"vitals/{name}", code, category="vital-signs",
                                            effective=m.captured_at, **fields))

        bp = v.blood_pressure
        if bp.is_recorded():
            components = []
            for part, code in (("systolic", c.SYSTOLIC), ("diastolic", c.DIASTOLIC)):
                value = getattr(bp, part)
                component: dict[str, Any] = {"code": c.loinc(*code)}
                if value is None:
                    component["dataAbsentReason"] = {"coding": [
                        c.coding(c.DATA_ABSENT, "unknown", "Unknown")]}
                else:
                    component["valueQuantity"] = c.quantity(value, "mmHg", "mm[Hg]")
                components.append(component)
            vital("blood_pressure", c.BP_PANEL, bp, component=components)
        hr = v.heart_rate
        if hr.is_recorded():
            vital("heart_rate", c.HEART_RATE, hr,
                  **({"valueQuantity": c.quantity(hr.value, "beats/minute", "/min")}
                     if hr.value is not None else {}))
        rr = v.respiratory_rate
        if rr.is_recorded():
            vital("respiratory_rate", c.RESP_RATE, rr,
                  **({"valueQuantity": c.quantity(rr.value, "breaths/minute", "/min")}
                     if rr.value is not None else {}))
        t = v.temperature
        if t.is_recorded():
            temp: dict[str, Any] = {}
            if t.celsius is not None:
                temp = {"valueQuantity": c.quantity(_num(t.celsius), "C", "Cel")}
            elif t.value is not None and t.unit is not None:
                temp = {"valueQuantity": (c.quantity(_num(t.value), "C", "Cel")
                                           if t.unit.value == "C"
                                           else c.quantity(_num(t.value), "F", "[degF]"))}
            if t.site and t.site.value != "unknown" and temp:
                temp["bodySite"] = {"text": t.site.value}
            vital("temperature", c.BODY_TEMP, t, **temp)
        s = v.oxygen_saturation
        if s.is_recorded():
            fields: dict[str, Any] = {}
            if s.value is not None:
                fields["valueQuantity"] = c.quantity(_num(s.value), "%")
            vital("oxygen_saturation",
                  {"coding": [c.coding(c.LOINC, *c.SPO2), c.coding(c.LOINC, *c.SPO2_ARTERIAL)],
                   "text": "Oxygen saturation"}, s, **fields)
        pain = v.pain
        if pain.is_recorded():
            fields = {}
            if pain.unknown:
                fields["dataAbsentReason"] = {"coding": [c.coding(c.DATA_ABSENT, "unknown",
                                                                  "Unknown")]}
            else:
                fields["valueQuantity"] = c.quantity(pain.value or 0, "score", "{score}")
            if pain.scale and pain.scale.value != "unknown":
                fields["method"] = {"text": f"Pain scale: {pain.scale.value.upper()}"}
            self.observation("vitals/pain", c.PAIN, category="survey",
                             effective=pain.captured_at, **fields)
        if members:
            self.observation("vitals/panel", c.VITALS_PANEL, category="vital-signs",
                             effective=self.signed_at,
                             meta={"profile": [c.VITAL_PROFILES["panel"]]},
                             hasMember=[{"reference": ref} for ref in members])

    # ---------------------------------------------------------------- consent, provenance

    def build_consents(self) -> None:
        consent = self.r.consent
        for kind in ConsentKind:
            status = consent.status_of(kind)
            if status is ConsentStatus.NOT_RECORDED:
                continue
            granted = status is ConsentStatus.GRANTED
            changes = [h for h in consent.history if h.kind is kind]
            when = changes[-1].captured_at if changes else consent.captured_at
            method = changes[-1].method.value if changes else (
                consent.method.value if consent.method else "unknown")
            label = kind.value.replace("_", " ")
            resource: dict[str, Any] = {
                "resourceType": "Consent",
                "status": "active" if granted else "rejected",
                "scope": c.concept(c.CONSENT_SCOPE, "patient-privacy", "Privacy Consent"),
                "category": [c.loinc("59284-0", "Patient Consent")],
                "patient": {"reference": self.patient},
                "performer": [{"reference": self.patient}],
                "organization": [{"reference": self.organisation}],
                "policyRule": {"coding": [c.coding(c.ACT_CODE, "OPTIN" if granted else "OPTOUT",
                                                   "opt-in" if granted else "opt-out")]},
                "provision": {
                    "type": "permit" if granted else "deny",
                    "action": [{"coding": [c.coding(c.LOCAL_CONSENT_KIND, kind.value, label)],
                                "text": label}],
                },
            }
            if when is not None:
                resource["dateTime"] = _iso(when)
            resource["sourceAttachment"] = {"title": f"Consent recorded ({method})"}
            self.add(self.ref(f"consent/{kind.value}"), resource)

    def build_provenance(self) -> None:
        targets = [{"reference": e["fullUrl"]} for e in self.entries
                   if e["resource"]["resourceType"] not in ("Organization", "Practitioner")]
        self.add(self.ref("provenance"), {
            "resourceType": "Provenance",
            "target": targets,
            "recorded": _iso(self.signed_at),
            "activity": c.concept("http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                                  "CREATE", "create"),
            "agent": [{
                "type": c.concept(c.PROVENANCE_PARTICIPANT, "author", "Author"),
                "who": {"reference": self.practitioner},
                "onBehalfOf": {"reference": self.organisation},
            }],
            "signature": [{
                "type": [c.coding(c.SIGNATURE_TYPE, c.SOURCE_SIGNATURE, "Source Signature")],
                "when": _iso(self.ctx.generated_at),
                "who": {"reference": self.practitioner},
                "sigFormat": "application/jose",
            }],
        })


_IDENTIFIED = {"identifier": {"Organization", "Practitioner", "Patient", "Encounter",
                              "Condition", "Observation", "Media", "Consent"}}


def _local(code: str, label: str) -> dict[str, Any]:
    return {"coding": [c.coding(c.LOCAL_OBSERVATION, code, label)], "text": label}


def _value(value: Any) -> Any:
    return getattr(value, "value", value)


def _words(value: Any) -> str:
    return str(_value(value)).replace("_", " ")


def _num(value: float | int) -> float | int:
    return round(float(value), 4) if not isinstance(value, int) else value


def _body_site(wound: Wound) -> dict[str, Any] | None:
    site: BodySite | None = wound.body_site
    if site is None:
        text = wound.site
        return {"text": text} if text else None
    parts = [_words(p) for p in (site.side, site.region, site.view) if p is not None]
    out: dict[str, Any] = {"text": " ".join(parts)}
    if site.side is not None and site.side in c.BODY_SIDE:
        code, display = c.BODY_SIDE[site.side]
        out["coding"] = [c.coding(c.SNOMED, code, display)]
    return out


def build_bundle(record: CaseRecord, ctx: ExportContext) -> dict[str, Any]:
    """The unsigned transaction Bundle (the Provenance's signature has no ``data`` yet:
    :func:`woundcare.handoff.fhir.signing.sign_bundle` adds it)."""
    b = _Builder(record, ctx)
    b.build_people()
    b.build_encounter()
    b.build_condition()
    b.build_media()
    b.build_wound_observations()
    b.build_vitals()
    b.build_consents()
    b.build_provenance()
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "meta": {"tag": [{"system": EXPORT_TAG_SYSTEM,
                          "code": f"case-{record.case_id}-v{record.version}"}]},
        "identifier": {"system": c.RFC3986, "value": b.ref(f"bundle/v{record.version}")},
        "type": "transaction",
        "timestamp": _iso(ctx.generated_at),
        "entry": b.entries,
    }
    return bundle
