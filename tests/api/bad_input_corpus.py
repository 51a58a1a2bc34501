"""The bad-input corpus: requests a hostile or broken client sends, each with what the answer
must be. ``TUNING`` is what the fixes were developed against; ``HELD_OUT`` is generated from a
seed and mutation kinds that were never looked at while fixing (its figure is reported
separately). Every request must answer below 500; those with ``expect`` must answer exactly
that status, and those with ``field`` must name that field in the problem's ``errors``.

Placeholders in paths and bodies: ``{case}`` (a case in BIO_INTAKE), ``{signing}`` (a case at
LINK_TO_CLINICIAN), ``{other}`` (another organisation's case), ``{bob}`` (a colleague's id).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

NUL = "a\x00b"
SURROGATE = "\ud800x"
DEEP = "[" * 50_000
DEEP_OBJ = '{"a":' * 5_000 + "1" + "}" * 5_000


@dataclass
class Req:
    name: str
    method: str
    path: str
    body: Any = None
    raw: str | None = None  # sent as is (JSON text that json.dumps cannot make)
    headers: dict[str, str] = field(default_factory=dict)
    version: str | None = "case"  # which case's version goes into If-Match (None: none)
    expect: int | None = None
    field: str | None = None
    auth: bool = True


def _bio(path: str, value: Any) -> dict[str, Any]:
    """A bio body with ``value`` at dotted ``path`` under ``patient``."""
    parts = path.split(".")
    body: dict[str, Any] = {}
    cursor = body
    for part in parts[:-1]:
        cursor = cursor.setdefault(part, {})
    cursor[parts[-1]] = value
    return body


CASE = "/api/session/{case}"
TEXT_FIELDS = {  # route suffix -> (dotted field, body builder)
    "bio": ["patient.first_name", "patient.last_name", "patient.mrn", "patient.notes",
            "patient.preferred_name", "patient.contact.phone", "patient.contact.email",
            "patient.contact.address", "consent.notes"],
    "imaging": ["wound_site"],
    "time": ["assessment.notes"],
    "bio/parse": ["free_text"],
}
WRITE_ROUTES = ["bio", "consent", "imaging", "vitals", "time", "review", "assemble",
                "export", "follow-ups/refresh", "events/BEGIN", "sign"]


def tuning() -> list[Req]:
    reqs: list[Req] = []
    # NUL and lone surrogates in every text field, log-in e-mail and password included
    for suffix, paths in TEXT_FIELDS.items():
        for dotted in paths:
            for label, bad in (("nul", NUL), ("surrogate", SURROGATE)):
                reqs.append(Req(f"{label} in {suffix} {dotted}", "POST", f"{CASE}/{suffix}",
                                _bio(dotted, bad), expect=422, field=dotted))
    for label, bad in (("nul", NUL), ("surrogate", SURROGATE)):
        for route in ("/api/auth/login", "/api/auth/token"):
            reqs.append(Req(f"{label} in {route} email", "POST", route,
                            {"email": f"alice{bad}@example.test", "password": "x"},
                            expect=422, field="email", version=None, auth=False))
            reqs.append(Req(f"{label} in {route} password", "POST", route,
                            {"email": "alice@example.test", "password": bad},
                            expect=422, field="password", version=None, auth=False))
        reqs.append(Req(f"{label} in admin invite", "POST", "/api/admin/clinicians",
                        {"email": "x@example.test", "display_name": bad}, version=None,
                        expect=422, field="display_name"))
        reqs.append(Req(f"{label} in new password", "PUT", "/api/auth/password",
                        {"current_password": "synthetic-password-1",
                         "new_password": f"long enough {bad} words"}, version=None,
                        expect=422, field="new_password"))
        reqs.append(Req(f"{label} in follow-up answer", "POST",
                        f"{CASE}/follow-ups/00000000-0000-0000-0000-000000000001",
                        {"answer": bad}, expect=422, field="answer"))
        reqs.append(Req(f"{label} in a key", "POST", f"{CASE}/bio",
                        {"patient": {f"first{bad}": "x"}}, expect=422))
        # a percent-encoded lone surrogate arrives as U+FFFD (the query is decoded leniently)
        reqs.append(Req(f"{label} in query mrn", "GET", "/api/cases",
                        headers={"x-query": f"mrn={bad}"}, version=None,
                        expect=422 if label == "nul" else None))
    # 50,000 nested [ (and deep objects) to routes with and without a body
    for suffix in WRITE_ROUTES:
        reqs.append(Req(f"deep [ to {suffix}", "POST", f"{CASE}/{suffix}", raw=DEEP,
                        expect=422, field="body"))
    for route in ("/api/auth/logout", "/api/cases", "/api/auth/login",
                  "/api/admin/clinicians/{bob}/pin-reset", "/api/cases/{case}/delegations"):
        reqs.append(Req(f"deep [ to {route}", "POST", route, raw=DEEP, version=None,
                        expect=422, field="body"))
    reqs.append(Req("deep object to bio", "POST", f"{CASE}/bio", raw=DEEP_OBJ, expect=422))
    reqs.append(Req("deep [ to PUT pin", "PUT", "/api/auth/pin", raw=DEEP, version=None,
                    expect=422))
    # non-ASCII digits in a PIN
    # (surrounding white space is trimmed from every body string by design)
    for pin in ("١٢٣٤٥٦", "１２３４５６", "१२३४५६", "12³456", "۱۲۳۴۵۶", "12 3456", "12\u00a03456",
                "１2345"):
        reqs.append(Req(f"pin {pin!r} to sign", "POST", "/api/session/{signing}/sign",
                        {"pin": pin}, version="signing", expect=422, field="pin"))
        reqs.append(Req(f"pin {pin!r} to PUT pin", "PUT", "/api/auth/pin",
                        {"password": "synthetic-password-1", "pin": pin}, version=None,
                        expect=422, field="pin"))
    # strict numbers and booleans
    for dotted, value in (("patient.age", True), ("patient.age", "42"), ("patient.age", 4.5),
                          ("patient.age", 10**30), ("patient.age", -1),
                          ("patient.age", [1]), ("patient.age", {"a": 1})):
        reqs.append(Req(f"{dotted}={value!r}", "POST", f"{CASE}/bio", _bio(dotted, value),
                        expect=422, field=dotted))
    for key, value in (("systolic", True), ("systolic", "120"), ("diastolic", False),
                       ("systolic", 1e400)):
        reqs.append(Req(f"bp {key}={value!r}", "POST", f"{CASE}/vitals",
                        {"vitals": {"blood_pressure": {key: value}}}, expect=422))
    for raw in ('{"vitals": {"temperature": {"value": NaN, "unit": "C"}}}',
                '{"vitals": {"temperature": {"value": Infinity, "unit": "C"}}}',
                '{"vitals": {"temperature": {"value": -Infinity, "unit": "C"}}}',
                '{"patient": {"age": NaN}}'):
        reqs.append(Req(f"non-finite {raw[:40]}", "POST",
                        f"{CASE}/{'vitals' if 'vitals' in raw else 'bio'}", raw=raw,
                        expect=422))
    reqs.append(Req("review attest 1", "POST", f"{CASE}/review", {"attest": 1}, expect=422))
    reqs.append(Req("review attest 'true'", "POST", f"{CASE}/review", {"attest": "true"},
                    expect=422))
    reqs.append(Req("refresh=1", "POST", f"{CASE}/follow-ups/refresh", {"refresh": 1},
                    expect=422))
    # wrong shapes
    for suffix in ("bio", "vitals", "time", "imaging", "consent", "review", "export", "sign"):
        for label, raw in (("array", "[]"), ("string", '"x"'), ("number", "1"),
                           ("null", "null")):
            reqs.append(Req(f"{label} body to {suffix}", "POST", f"{CASE}/{suffix}", raw=raw))
    # query strings
    for query in ("limit=-1", "limit=100000000000000000000", "offset=100000000000000000000",
                  "offset=-5", "state=NOPE", "status=%00", "mrn=" + "x" * 70, "limit=1e3",
                  "offset=99999999999"):
        reqs.append(Req(f"query {query}", "GET", "/api/cases", headers={"x-query": query},
                        version=None, expect=422))
    reqs.append(Req("query mrn=%ff%fe", "GET", "/api/cases", headers={"x-query": "mrn=%ff%fe"},
                    version=None))
    # headers
    for value in ('"abc"', '"99999999999"', "W/", '""', '"-1"', '"1" , "2"', "*",
                  '"4294967296"', '"2147483648"'):
        reqs.append(Req(f"If-Match {value}", "POST", f"{CASE}/events/BEGIN",
                        headers={"If-Match": value}, version=None))
    for key in ("x" * 101, "é" * 10, "\t", "a\u200bb", "🙂"):
        reqs.append(Req(f"Idempotency-Key {key[:8]!r}", "POST", f"{CASE}/events/BEGIN",
                        headers={"Idempotency-Key": key}))
    for auth_header in ("Bearer", "Bearer " + "x" * 500, "Basic abc", "Bearer \u00e9",
                        "bearer a b c"):
        reqs.append(Req(f"Authorization {auth_header[:12]!r}", "GET", "/api/cases",
                        headers={"Authorization": auth_header}, version=None, auth=False,
                        expect=401))
    # paths
    for path in ("/api/session/not-a-uuid", "/api/session/{other}", "/api/session/%00",
                 "/api/session/" + "9" * 5000, "/api/session/{case}/events/NOT_AN_EVENT",
                 "/api/session/{case}/artifacts/not-a-uuid",
                 "/api/session/{case}/follow-ups/not-a-uuid",
                 "/api/admin/clinicians/not-a-uuid/role", "/api/cases/{other}/delegations"):
        reqs.append(Req(f"path {path[:40]}", "GET", path, version=None))
    # strings that are too long, odd Unicode that is fine
    reqs.append(Req("first_name 10k", "POST", f"{CASE}/bio",
                    _bio("patient.first_name", "x" * 10_000), expect=422,
                    field="patient.first_name"))
    reqs.append(Req("free text 30k", "POST", f"{CASE}/bio/parse", {"free_text": "y" * 30_000},
                    expect=422, field="free_text"))
    for odd in ("\u202eevil", "a\u200db", "𝕏", "ｗｉｄｅ", "\u0301", "\ufeff"):
        reqs.append(Req(f"odd unicode {odd!r}", "POST", f"{CASE}/bio",
                        _bio("patient.preferred_name", odd)))
    # delegation and source_artifact_id
    reqs.append(Req("source_artifact_id of nothing", "POST", f"{CASE}/bio",
                    {"patient": {"first_name": "Aa"},
                     "source_artifact_id": "00000000-0000-0000-0000-0000000000aa"},
                    expect=422, field="source_artifact_id"))
    reqs.append(Req("delegate to a non-uuid", "POST", "/api/cases/{case}/delegations",
                    {"clinician_id": "x"}, version=None, expect=422, field="clinician_id"))
    reqs.append(Req("delegate reason NUL", "POST", "/api/cases/{case}/delegations",
                    {"clinician_id": "{bob}", "reason": NUL}, version=None, expect=422))
    return reqs


_MUTATIONS = ("nul", "surrogate", "deep", "bool", "bigint", "nan", "shape", "unicode_digit",
              "control", "empty", "long")


def held_out(seed: int = 20261201, count: int = 80) -> list[Req]:
    """Random mutations of valid requests (never tuned on): each must answer below 500."""
    rng = random.Random(seed)
    templates: list[tuple[str, str, dict[str, Any], str | None]] = [
        ("POST", f"{CASE}/bio", {"patient": {"first_name": "Aa", "age": 40,
                                             "contact": {"phone": "555-0100"}}}, "case"),
        ("POST", f"{CASE}/vitals", {"vitals": {"heart_rate": {"value": 70}}}, "case"),
        ("POST", f"{CASE}/time", {"assessment": {"notes": "synthetic"}}, "case"),
        ("POST", f"{CASE}/imaging", {"wound_site": "left heel"}, "case"),
        ("POST", f"{CASE}/consent", {"data_storage": "granted"}, "case"),
        ("POST", "/api/auth/login", {"email": "alice@example.test", "password": "x"}, None),
        ("PUT", "/api/auth/pin", {"password": "synthetic-password-1", "pin": "1234"}, None),
        ("POST", "/api/admin/clinicians", {"email": "n@example.test", "display_name": "N"},
         None),
        ("POST", "/api/cases", {}, None),
        ("POST", f"{CASE}/bio/parse", {"free_text": "Name Aa Bb"}, None),
    ]
    reqs = []
    for index in range(count):
        method, path, body, version = rng.choice(templates)
        body = json.loads(json.dumps(body))
        kind = rng.choice(_MUTATIONS)
        raw = None

        def leaves(node: Any, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
            if isinstance(node, dict):
                return [t for k, v in node.items() for t in leaves(v, (*trail, k))] or [trail]
            return [trail]

        trail = rng.choice(leaves(body))
        parent = body
        for part in trail[:-1]:
            parent = parent[part]
        key = trail[-1] if trail else None
        value: Any = {"nul": "x\x00y", "surrogate": "\udfff", "bool": rng.choice([True, False]),
                      "bigint": rng.choice([2**63, -(2**63) - 1, 10**40]),
                      "unicode_digit": "٣٤٥٦", "control": "\x01\x02\x7f",
                      "empty": rng.choice(["", [], {}]), "long": "z" * 70_000,
                      }.get(kind)
        if kind == "deep":
            raw = "[" * rng.randint(100, 60_000)
        elif kind == "nan":
            raw = json.dumps(body).replace("40", "NaN").replace("70", "Infinity")
        elif kind == "shape":
            raw = rng.choice(["[1,2]", "true", '"s"', "{}", "[]", "{\"a\":"])
        elif key is not None:
            parent[key] = value
        reqs.append(Req(f"held-out {index} {kind} {path[-20:]}", method, path,
                        body if raw is None else None, raw=raw, version=version))
    return reqs
