"""The export signature: a detached JWS (ES256) over the canonical bundle, kept in the
Provenance's ``signature.data``.

Canonical bundle: the Bundle with every Provenance ``signature.data`` removed, serialised as
JSON with sorted keys, no insignificant whitespace and UTF-8 (``ensure_ascii=False``). The JWS
protected header names the algorithm, the key id (``<organisation id>/<master version>``) and
the content type; the payload is left out of the compact form (RFC 7515, appendix F), so the
signature travels with the bundle and is checked against the bundle itself.
``signature.data`` is the base64 of that detached compact JWS (FHIR ``base64Binary``).
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jwcrypto import jwk, jws
from jwcrypto.common import JWException

SIG_FORMAT = "application/jose"
ALGORITHM = "ES256"


class SignatureInvalid(Exception):
    """The bundle's signature is missing, malformed, from an unknown key, or does not match."""


@dataclass(frozen=True)
class Verified:
    kid: str
    provenance: str  # fullUrl of the Provenance that carried the signature


def _provenance_signatures(bundle: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for entry in bundle.get("entry", []):
        resource = entry.get("resource", {})
        if resource.get("resourceType") == "Provenance":
            for signature in resource.get("signature", []):
                found.append((entry.get("fullUrl", ""), signature))
    return found


def canonical_bytes(bundle: dict[str, Any]) -> bytes:
    stripped = copy.deepcopy(bundle)
    for _url, signature in _provenance_signatures(stripped):
        signature.pop("data", None)
    return json.dumps(stripped, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def sign_bundle(bundle: dict[str, Any], private_key: object, kid: str) -> dict[str, Any]:
    """A copy of ``bundle`` whose Provenance signature carries the detached JWS."""
    signed = copy.deepcopy(bundle)
    signatures = _provenance_signatures(signed)
    if len(signatures) != 1:
        raise ValueError("The bundle must hold exactly one Provenance signature.")
    key = jwk.JWK.from_pyca(private_key)
    token = jws.JWS(canonical_bytes(signed))
    token.add_signature(key, alg=ALGORITHM, protected=json.dumps(
        {"alg": ALGORITHM, "kid": kid, "cty": "application/fhir+json"}))
    header, _payload, sig = token.serialize(compact=True).split(".")
    detached = f"{header}..{sig}"
    signatures[0][1]["data"] = base64.b64encode(detached.encode("ascii")).decode("ascii")
    signatures[0][1]["sigFormat"] = SIG_FORMAT
    return signed


def verify_bundle(bundle: dict[str, Any],
                  public_key_for: Callable[[str], object]) -> Verified:
    """Check the signature; ``public_key_for(kid)`` gives the trusted public key (a
    ``cryptography`` key) or raises. Raises :class:`SignatureInvalid`."""
    signatures = _provenance_signatures(bundle)
    if len(signatures) != 1:
        raise SignatureInvalid("The bundle must hold exactly one Provenance signature.")
    url, signature = signatures[0]
    if signature.get("sigFormat") != SIG_FORMAT or not signature.get("data"):
        raise SignatureInvalid("The Provenance signature has no JWS.")
    try:
        detached = base64.b64decode(signature["data"], validate=True).decode("ascii")
        header_b64, payload, sig = detached.split(".")
        header = json.loads(base64.urlsafe_b64decode(header_b64 + "=" * (-len(header_b64) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise SignatureInvalid("The signature is not a detached compact JWS.") from None
    if payload or header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
        raise SignatureInvalid("The JWS header is not an ES256 header with a key id.")
    kid = header["kid"]
    try:
        public = public_key_for(kid)
    except Exception:
        raise SignatureInvalid("The signing key is not known here.") from None
    compact = f"{header_b64}.{_b64url(canonical_bytes(bundle))}.{sig}"
    token = jws.JWS()
    try:
        token.deserialize(compact)
        token.verify(jwk.JWK.from_pyca(public), alg=ALGORITHM)
    except JWException:
        raise SignatureInvalid("The signature does not match the bundle.") from None
    return Verified(kid=kid, provenance=url)
