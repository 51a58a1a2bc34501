"""Keyed search hashes for medical record numbers (MRNs).

The MRN is stored encrypted; to find a case by MRN we store ``HMAC-SHA256(key, normalised
MRN)`` next to it. A plain (unkeyed) hash of an MRN would be reversible by enumerating the
small MRN space, so the key (``WOUNDCARE_SEARCH_HMAC_KEY``) is mandatory.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

MIN_KEY_BYTES = 32
_DOMAIN = b"woundcare/mrn-search/v1\x00"


def normalise_mrn(mrn: str) -> str:
    """Canonical MRN form: Unicode NFKC, upper-case, without whitespace or dashes.

    ``" zz-test 001"`` and ``"ZZTEST001"`` both become ``"ZZTEST001"``.
    """
    if not isinstance(mrn, str):
        raise TypeError("mrn must be a str")
    text = unicodedata.normalize("NFKC", mrn).strip().upper()
    text = "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Pd")
    if not text:
        raise ValueError("The MRN is empty after normalisation.")
    return text


def mrn_search_hash(key: bytes, mrn: str) -> str:
    """Hex HMAC-SHA256 of the normalised MRN under ``key`` (at least 32 bytes)."""
    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        raise ValueError(f"The search HMAC key must be at least {MIN_KEY_BYTES} bytes.")
    message = _DOMAIN + normalise_mrn(mrn).encode("utf-8")
    return hmac.new(bytes(key), message, hashlib.sha256).hexdigest()
