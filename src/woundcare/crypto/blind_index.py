"""A keyed blind index for finding patients whose names, dates of birth and MRNs are stored
encrypted.

For each case we store, next to the encrypted record, the set of
``HMAC-SHA256(organisation key, kind + ":" + term)`` for:

* ``given`` / ``family``: every normalised token of the first, preferred and last names and
  every prefix of it from 2 characters ("Sampleton" -> "sa", "sam", ..., "sampleton");
* ``dob``: the date of birth (ISO), and ``dobyear``: its year;
* ``mrnp`` / ``mrns``: the normalised MRN's prefixes and suffixes from 3 characters, and the
  same for the MRN's digits alone (so "0042" finds "ZZ-0042");
* ``mrn``: the whole normalised MRN, and ``namedob``: full given and family names with the
  date of birth (the duplicate-patient check).

A search computes the same HMACs for what was typed and looks them up: the server never
stores or compares a name in clear. The organisation key is derived from the search key
(``WOUNDCARE_SEARCH_HMAC_KEY``) and the organisation id, so equal names in two organisations
have unrelated digests. What the index still reveals is stated in docs/security-plan.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from woundcare.crypto.search_hash import MIN_KEY_BYTES

_DOMAIN = b"woundcare/blind-index/v1\x00"
MIN_NAME_PREFIX = 2
MIN_MRN_PART = 3
MAX_TOKEN = 40
DIGEST_HEX = 32  # 128-bit digests: collisions are negligible at any clinic's size


def organisation_key(search_key: bytes, organisation_id: UUID) -> bytes:
    """The organisation's own index key: HMAC of its id under the search key."""
    if not isinstance(search_key, bytes | bytearray) or len(search_key) < MIN_KEY_BYTES:
        raise ValueError(f"The search HMAC key must be at least {MIN_KEY_BYTES} bytes.")
    return hmac.new(bytes(search_key), _DOMAIN + organisation_id.bytes, hashlib.sha256).digest()


def digest(org_key: bytes, kind: str, term: str) -> str:
    return hmac.new(org_key, f"{kind}:{term}".encode(), hashlib.sha256).hexdigest()[:DIGEST_HEX]


def name_tokens(text: str | None) -> list[str]:
    """Lower-case letters only, accents removed, split at spaces, hyphens and apostrophes
    ("Mary-Jane O'Néill" -> ["mary", "jane", "oneill", "o", "neill"]: the joined form of a
    name with an apostrophe is kept too)."""
    if not text:
        return []
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(ch)).casefold()
    out: list[str] = []
    for word in re.split(r"[\s\-‐‑–—_.,/]+", plain):
        parts = [p for p in re.split(r"['’`]", word) if p]
        joined = "".join(ch for ch in "".join(parts) if ch.isalpha())
        if joined:
            out.append(joined[:MAX_TOKEN])
        if len(parts) > 1:
            cleaned = ("".join(c for c in p if c.isalpha()) for p in parts)
            out += [clean[:MAX_TOKEN] for clean in cleaned if clean]
    return list(dict.fromkeys(out))


def normalise_mrn(text: str | None) -> str:
    """Upper-case letters and digits only ("zz-0042 " -> "ZZ0042")."""
    if not text:
        return ""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum())


def _prefixes(token: str, minimum: int) -> list[str]:
    return [token[:n] for n in range(min(minimum, len(token)), len(token) + 1)]


def _mrn_parts(mrn: str) -> set[tuple[str, str]]:
    parts: set[tuple[str, str]] = set()
    digits = "".join(ch for ch in mrn if ch.isdigit())
    for value in {mrn, digits} - {""}:
        for n in range(min(MIN_MRN_PART, len(value)), len(value) + 1):
            parts.add(("mrnp", value[:n]))
            parts.add(("mrns", value[-n:]))
    return parts


@dataclass(frozen=True)
class PatientKeys:
    """The searchable facts of one patient, in clear, only in memory."""

    given: tuple[str, ...] = ()
    family: tuple[str, ...] = ()
    date_of_birth: date | None = None
    mrn: str | None = None

    def fingerprint(self) -> str:
        """Changes exactly when the index terms would (so unchanged writes skip the index)."""
        raw = "|".join([",".join(self.given), ",".join(self.family),
                        self.date_of_birth.isoformat() if self.date_of_birth else "",
                        normalise_mrn(self.mrn)])
        return hashlib.sha256(raw.encode()).hexdigest()


def patient_keys(first: str | None, preferred: str | None, last: str | None,
                 dob: date | None, mrn: str | None) -> PatientKeys:
    given = tuple(dict.fromkeys(name_tokens(first) + name_tokens(preferred)))
    return PatientKeys(given=given, family=tuple(name_tokens(last)), date_of_birth=dob, mrn=mrn)


def index_terms(org_key: bytes, patient: PatientKeys) -> set[str]:
    """Every digest stored for a patient."""
    terms: set[tuple[str, str]] = set()
    for kind, tokens in (("given", patient.given), ("family", patient.family)):
        for token in tokens:
            terms.update((kind, p) for p in _prefixes(token, MIN_NAME_PREFIX))
    if patient.date_of_birth is not None:
        terms.add(("dob", patient.date_of_birth.isoformat()))
        terms.add(("dobyear", str(patient.date_of_birth.year)))
    mrn = normalise_mrn(patient.mrn)
    if mrn:
        terms.add(("mrn", mrn))
        terms |= _mrn_parts(mrn)
    for term in duplicate_terms(patient):
        terms.add(("namedob", term))
    return {digest(org_key, kind, term) for kind, term in terms}


def duplicate_terms(patient: PatientKeys) -> list[str]:
    """Full given name + family name + date of birth, for each given name (first, preferred)."""
    if patient.date_of_birth is None or not patient.family or not patient.given:
        return []
    family = " ".join(patient.family)
    return [f"{given}|{family}|{patient.date_of_birth.isoformat()}" for given in patient.given]


def duplicate_digests(org_key: bytes, patient: PatientKeys) -> dict[str, set[str]]:
    """What another record of the same patient would share: its MRN, or a full name with the
    date of birth."""
    mrn = normalise_mrn(patient.mrn)
    return {
        "mrn": {digest(org_key, "mrn", mrn)} if mrn else set(),
        "name_and_date_of_birth": {digest(org_key, "namedob", t) for t in duplicate_terms(patient)},
    }


_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$|^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def _query_date(word: str) -> date | None:
    found = _DATE.match(word)
    if not found:
        return None
    try:
        if found.group(1):
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        return date(int(found.group(6)), int(found.group(5)), int(found.group(4)))  # dd/mm/yyyy
    except ValueError:
        return None


def query_digests(org_key: bytes, text: str) -> list[set[str]]:
    """What was typed, as one set of digests per word: a case matches when every word matches
    one of its set. Words are names (a prefix of a given or family name), dates of birth
    (2026-01-31 or 31/01/2026, or a year), or MRNs and parts of them (anything with a digit)."""
    out: list[set[str]] = []
    for word in text.split():
        when = _query_date(word)
        if when is not None:
            out.append({digest(org_key, "dob", when.isoformat())})
            continue
        if re.fullmatch(r"\d{4}", word):
            year = {digest(org_key, "dobyear", word)}
            out.append(year | {digest(org_key, kind, word) for kind in ("mrnp", "mrns")})
            continue
        if any(ch.isdigit() for ch in word):
            mrn = normalise_mrn(word)
            if mrn:
                out.append({digest(org_key, kind, mrn) for kind in ("mrnp", "mrns", "mrn")})
            continue
        tokens = name_tokens(word)
        if not tokens:
            continue
        token = max(tokens, key=len)
        out.append({digest(org_key, kind, token) for kind in ("given", "family")})
    return out


def mrn_query_digests(org_key: bytes, text: str) -> set[str]:
    """An MRN or a part of it (its beginning or its end, at least 3 characters)."""
    mrn = normalise_mrn(text)
    return {digest(org_key, kind, mrn) for kind in ("mrnp", "mrns", "mrn")} if mrn else set()


def all_terms(org_key: bytes, patients: Iterable[PatientKeys]) -> set[str]:
    terms: set[str] = set()
    for patient in patients:
        terms |= index_terms(org_key, patient)
    return terms
