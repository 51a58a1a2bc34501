"""Search on encrypted names through the keyed blind index, on SQLite and PostgreSQL: any part
of a name (a prefix of a given or family name), the date of birth, a part of the MRN; words
combine; the index follows every patient-field write; nothing in clear; organisations and
access are kept apart (row-level security on PostgreSQL); possible duplicates."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from tests.storage.helpers import Target, World
from tests.storage.test_case_repository import Step, keys
from woundcare.crypto import blind_index
from woundcare.storage.case_repository import SqlCaseStore
from woundcare.storage.schema import patient_search_terms


@pytest.fixture
def step(db: Target, world: World) -> Step:
    return Step(db, world, keys())


def _search(step: Step, text: str | None = None, mrn: str | None = None,
            who: Any = None) -> set[UUID]:
    identity = who or step.world.a
    with step.target.app.unit_of_work(identity) as uow:
        return SqlCaseStore(uow.conn, identity, step.material).search(text, mrn)


def _patients(step: Step) -> dict[str, UUID]:
    made = {}
    for key, patient in {
        "sampleton": {"first_name": "Testcase", "last_name": "Sampleton",
                      "date_of_birth": date(1951, 2, 3), "mrn": "ZZ-000123"},
        "hyphen": {"first_name": "Mary-Jane", "last_name": "O'Néill-Examplar",
                   "date_of_birth": date(1962, 7, 8), "mrn": "QX99-4567"},
        "other": {"first_name": "Quinn", "last_name": "Sampson", "age": 40},
    }.items():
        case_id = step.new_case()
        step.bio(case_id, 2, **patient)
        made[key] = case_id
    return made


def test_any_part_of_a_name_a_date_of_birth_or_an_mrn_finds_the_patient(step: Step) -> None:
    made = _patients(step)
    s, h, o = made["sampleton"], made["hyphen"], made["other"]
    assert _search(step, "Sampleton") == {s}
    assert _search(step, "samp") == {s, o}              # prefix of two family names
    assert _search(step, "SAMPLE") == {s}
    assert _search(step, "test") == {s}                 # given name
    assert _search(step, "testcase samp") == {s}        # words combine (AND)
    assert _search(step, "quinn samp") == {o}
    assert _search(step, "jane") == {h}                 # a part of a hyphenated name
    assert _search(step, "neill") == {h}                # accents and apostrophes
    assert _search(step, "oneill") == {h}
    assert _search(step, "examplar") == {h}
    assert _search(step, "1951-02-03") == {s}           # date of birth, ISO
    assert _search(step, "03/02/1951") == {s}           # or day/month/year
    assert _search(step, "1962") == {h}                 # a year of birth
    assert _search(step, "ZZ-000123") == {s}            # the whole MRN
    assert _search(step, "zz000") == {s}                # its beginning
    assert _search(step, "0123") == {s}                 # its end (digits)
    assert _search(step, "4567") == {h}
    assert _search(step, mrn="QX99") == {h}
    assert _search(step, mrn="99-4567") == {h}
    assert _search(step, "s") == set()                  # too short to mean anything
    assert _search(step, "Sampletonx") == set()
    assert _search(step, "samp 1962") == set()


def test_the_index_follows_every_patient_write_and_holds_nothing_in_clear(step: Step) -> None:
    case_id = step.new_case()
    step.bio(case_id, 2, first_name="Testcase", last_name="Sampleton", mrn="ZZ-777001")
    assert _search(step, "sampleton") == {case_id}
    step.bio(case_id, 3, last_name="Exampleby")
    assert _search(step, "sampleton") == set()
    assert _search(step, "exampleby") == {case_id}
    assert _search(step, "777001") == {case_id}
    with step.target.owner.engine.connect() as conn:
        digests = list(conn.execute(sa.select(patient_search_terms.c.digest).where(
            patient_search_terms.c.case_id == case_id)).scalars())
    assert len(digests) > 10
    joined = " ".join(digests).lower()
    for clear in ("testcase", "exampleby", "777001", "zz"):
        assert clear not in joined
    assert all(len(d) == blind_index.DIGEST_HEX for d in digests)


def test_organisations_have_unrelated_digests_and_see_only_their_cases(step: Step) -> None:
    made = _patients(step)
    assert _search(step, "sampleton", who=step.world.c) == set()  # another organisation
    assert _search(step, "sampleton", who=step.world.b) == set()  # a colleague, not delegated
    org1 = blind_index.organisation_key(b"s" * 32, step.world.org1)
    org2 = blind_index.organisation_key(b"s" * 32, step.world.org2)
    assert blind_index.digest(org1, "family", "samp") != blind_index.digest(org2, "family", "samp")
    assert made


def test_possible_duplicates_by_mrn_or_full_name_and_date_of_birth(step: Step) -> None:
    first = step.new_case()
    step.bio(first, 2, first_name="Testcase", last_name="Sampleton",
             date_of_birth=date(1951, 2, 3), mrn="ZZ-5150")
    same_mrn = step.new_case()
    step.bio(same_mrn, 2, first_name="T", last_name="Other", mrn="zz 5150")
    same_person = step.new_case()
    step.bio(same_person, 2, first_name="testcase", last_name="SAMPLETON",
             date_of_birth=date(1951, 2, 3))
    unrelated = step.new_case()
    step.bio(unrelated, 2, first_name="Testcase", last_name="Sampleton",
             date_of_birth=date(1951, 2, 4))
    with step.target.app.unit_of_work(step.world.a) as uow:
        store = SqlCaseStore(uow.conn, step.world.a, step.material)
        found = store.possible_duplicates(store.load(first))
    assert found == {same_mrn: ["mrn"], same_person: ["name_and_date_of_birth"]}


@pytest.mark.postgres
def test_row_level_security_on_the_index(pg: Target, pg_world: World) -> None:
    step = Step(pg, pg_world, keys())
    case_id = step.new_case()
    step.bio(case_id, 2, first_name="Testcase", last_name="Sampleton")
    with pg.owner.engine.connect() as conn:
        flags = conn.execute(sa.text(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relname = 'patient_search_terms'")).one()
    assert tuple(flags) == (True, True)
    count = "SELECT count(*) FROM patient_search_terms"
    with pg.app.unit_of_work(pg_world.a) as uow:
        assert uow.conn.execute(sa.text(count)).scalar_one() > 0
    for who in (pg_world.b, pg_world.c, None):  # colleague, other organisation, nobody
        with pg.app.unit_of_work(who) as uow:
            assert uow.conn.execute(sa.text(count)).scalar_one() == 0
    # Another organisation cannot plant digests on this organisation's case.
    with pytest.raises(DBAPIError), pg.app.unit_of_work(pg_world.c) as uow:
        uow.conn.execute(patient_search_terms.insert().values(
            case_id=case_id, organisation_id=pg_world.org2, digest="f" * 32))
    with pytest.raises(DBAPIError), pg.app.unit_of_work(pg_world.b) as uow:
        uow.conn.execute(patient_search_terms.insert().values(
            case_id=case_id, organisation_id=pg_world.org1, digest="f" * 32))


def test_reindex_rebuilds_the_index_of_cases_saved_without_it(step: Step) -> None:
    from woundcare.storage.search_reindex import reindex_search

    made = _patients(step)
    with step.target.owner.engine.begin() as conn:
        conn.execute(patient_search_terms.delete())
    assert _search(step, "sampleton") == set()
    done, failed = reindex_search(step.target.owner.engine, step.material, batch_size=2)
    assert done == 3
    assert failed == [step.world.case_id]  # the seed's plain row has no real data key
    assert _search(step, "sampleton") == {made["sampleton"]}
    assert _search(step, "4567") == {made["hyphen"]}
