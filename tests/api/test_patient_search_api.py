"""Searching patients through the API (on SQLite and PostgreSQL): the pager's total counts the
matches, a partial MRN works, and a second case of the same patient is flagged."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, World


def _case_with(api: Api, **patient: Any) -> dict[str, Any]:
    case = api.fire(api.create_case(), "BEGIN")
    return api.step(case, "bio", json={"patient": patient})


def test_search_totals_match_the_results_and_mrn_parts_work(api: Api, world: World) -> None:
    sampleton = _case_with(api, first_name="Testcase", last_name="Sampleton",
                           date_of_birth="1951-02-03", mrn="ZZ-884421")
    for n in range(4):
        _case_with(api, first_name=f"Other{n}", last_name="Exampleby", age=50 + n)
    everything = api.get("/api/cases").json()
    assert everything["total"] == 5
    found = api.get("/api/cases", params={"q": "Sampleton"}).json()
    assert found["total"] == 1
    assert [c["case_id"] for c in found["items"]] == [sampleton["case_id"]]
    paged = api.get("/api/cases", params={"q": "exam", "limit": 3}).json()
    assert paged["total"] == 4
    assert len(paged["items"]) == 3
    rest = api.get("/api/cases", params={"q": "exam", "limit": 3, "offset": 3}).json()
    assert len(rest["items"]) == 1
    for part in ("884421", "ZZ-88", "4421"):
        by_mrn = api.get("/api/cases", params={"mrn": part}).json()
        assert by_mrn["total"] == 1, part
    none = api.get("/api/cases", params={"q": "Nobodyhere"}).json()
    assert none == {"items": [], "total": 0, "limit": 20, "offset": 0}


def test_a_second_case_of_the_same_patient_is_flagged(api: Api, world: World) -> None:
    first = _case_with(api, first_name="Testcase", last_name="Sampleton",
                       date_of_birth="1951-02-03", mrn="ZZ-100200")
    second = _case_with(api, first_name="Testcase", last_name="Sampleton",
                        date_of_birth="1951-02-03")
    third = _case_with(api, first_name="Another", last_name="Person", mrn="zz 100200")
    found = api.get(f"/api/cases/{second['case_id']}/possible-duplicates").json()
    assert [(i["case_id"], i["reasons"]) for i in found["items"]] == [
        (first["case_id"], ["name_and_date_of_birth"])]
    found = api.get(f"/api/cases/{third['case_id']}/possible-duplicates").json()
    assert [(i["case_id"], i["reasons"]) for i in found["items"]] == [(first["case_id"], ["mrn"])]
    text = str(found)
    assert "Sampleton" not in text  # labels only (given name and initial)
    assert api.get("/api/cases/00000000-0000-0000-0000-000000000000/possible-duplicates"
                   ).status_code == 404


def test_home_lists_open_cases_patients_with_their_visits_and_visits_due(
    api: Api, world: World
) -> None:
    first = _case_with(api, first_name="Testcase", last_name="Sampleton",
                       date_of_birth="1951-02-03", mrn="ZZ-31337")
    again = _case_with(api, first_name="Testcase", last_name="Sampleton", mrn="zz31337")
    other = _case_with(api, first_name="Quinn", last_name="Exampleby", age=44)
    blank = api.fire(api.create_case(), "BEGIN")
    today = api.get("/api/home").json()["today"]
    assert api.put(f"/api/cases/{first['case_id']}/next-visit",
                   json={"due_on": today}).json()["due_on"] == today
    assert api.put(f"/api/cases/{other['case_id']}/next-visit",
                   json={"due_on": "2999-01-01"}).status_code == 200  # too far ahead to list
    assert api.get(f"/api/cases/{first['case_id']}/next-visit").json()["due_on"] == today
    assert api.put(f"/api/cases/{first['case_id']}/next-visit",
                   json={"due_on": "soon"}).status_code == 422
    home = api.get("/api/home").json()
    assert {c["case_id"] for c in home["open_cases"]} == {
        first["case_id"], again["case_id"], other["case_id"], blank["case_id"]}
    groups = {p["patient_label"]: {v["case_id"] for v in p["visits"]} for p in home["patients"]}
    assert groups == {"Testcase S.": {first["case_id"], again["case_id"]},
                      "Quinn E.": {other["case_id"]}}
    assert [(d["case_id"], d["due_on"], d["overdue_days"]) for d in home["due"]] == [
        (first["case_id"], today, 0)]
    # Cleared, it is no longer due.
    api.put(f"/api/cases/{first['case_id']}/next-visit", json={"due_on": None})
    assert api.get("/api/home").json()["due"] == []
