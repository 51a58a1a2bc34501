"""Documents go through the intake parser: their text becomes a proposal to confirm."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api

LETTER = ("Referral letter (synthetic)\nName: Testy McTestface\nDOB: 1961-04-03\n"
          "MRN: ZZTEST-0001\nThe patient consents to data storage.\n")


def text_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a real text layer (Helvetica), built by hand."""
    text = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF"
            .encode())
    return bytes(out)


def upload(api: Api, case: dict[str, Any], name: str, data: bytes, media: str,
           kind: str = "document") -> dict[str, Any]:
    return api.step(case, "artifacts", files={"file": (name, data, media)},
                    data={"kind": kind})


def parse(api: Api, case: dict[str, Any], artifact_id: str) -> Any:
    return api.post(f"/api/session/{case['case_id']}/artifacts/{artifact_id}/parse")


def fields(body: dict[str, Any]) -> dict[str, Any]:
    return {f["path"]: f["value"] for f in body["fields"]}


def test_a_text_document_becomes_a_proposal_and_nothing_is_saved(api: Api) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    case = upload(api, case, "letter.txt", LETTER.encode(), "text/plain")
    artifact = case["record"]["artifacts"][-1]
    response = parse(api, case, artifact["artifact_id"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert fields(body) == {"patient.first_name": "Testy", "patient.last_name": "McTestface",
                            "patient.date_of_birth": "1961-04-03", "patient.mrn": "ZZTEST-0001"}
    assert body["consent"]["data_storage"] == "granted"
    assert body["source_artifact_id"] == artifact["artifact_id"]
    after = api.get(f"/api/session/{case['case_id']}").json()
    assert after["version"] == case["version"]  # a proposal changes nothing
    assert after["record"]["patient"]["first_name"] is None
    # The clinician confirms the fields, attributed to the document.
    confirmed = api.step(case, "bio", json={
        "patient": {"first_name": "Testy", "last_name": "McTestface"},
        "source": "document", "source_artifact_id": artifact["artifact_id"]})
    entries = api.get(f"/api/session/{case['case_id']}/provenance").json()["entries"]
    from_document = [e for e in entries if e["source_artifact_id"] == artifact["artifact_id"]
                     and e["field_path"] == "patient.first_name"]
    assert from_document
    assert confirmed["record"]["patient"]["last_name"] == "McTestface"


def test_a_pdf_text_layer_is_read(api: Api) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    pdf = text_pdf(["Name: Testy McTestface", "DOB: 1961-04-03", "MRN: ZZTEST-0002"])
    case = upload(api, case, "letter.pdf", pdf, "application/pdf")
    response = parse(api, case, case["record"]["artifacts"][-1]["artifact_id"])
    assert response.status_code == 200, response.text
    assert fields(response.json())["patient.mrn"] == "ZZTEST-0002"


def test_documents_without_text_and_other_files_are_refused_clearly(api: Api) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    case = upload(api, case, "blank.pdf", text_pdf([]), "application/pdf")
    response = parse(api, case, case["record"]["artifacts"][-1]["artifact_id"])
    assert response.status_code == 422
    assert response.json()["code"] == "no_text_found"
    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28)  # a voice note with no sound in it
    case = upload(api, case, "note.wav", wav, "audio/wav", kind="audio")
    response = parse(api, case, case["record"]["artifacts"][-1]["artifact_id"])
    assert response.status_code == 422
    assert response.json()["code"] == "no_text_found"
    from tests.api.flows import photo_with_exif

    case = upload(api, case, "IMG_0001.jpg", photo_with_exif(), "image/jpeg", kind="image")
    response = parse(api, case, case["record"]["artifacts"][-1]["artifact_id"])
    assert response.status_code == 422
    assert response.json()["code"] == "not_a_document"
    missing = parse(api, case, "00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
