"""FHIR R4 (4.0.1) export of a signed visit, coded after the HL7 Skin Wound Assessment IG."""

from woundcare.handoff.fhir.bundle import ExportContext, PhotoBytes, build_bundle
from woundcare.handoff.fhir.signing import (
    SignatureInvalid,
    canonical_bytes,
    sign_bundle,
    verify_bundle,
)

__all__ = [
    "ExportContext",
    "PhotoBytes",
    "SignatureInvalid",
    "build_bundle",
    "canonical_bytes",
    "sign_bundle",
    "verify_bundle",
]
