"""Finding 5: image uploads are authorised before any decoding, refused above the pixel limit
from their header, decoded within bounds, and no decoder failure is ever a 500."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any
from uuid import uuid4

import pytest
from PIL import Image

from tests.api.conftest import Api, World
from tests.api.flows import photo_with_exif


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_declaring(width: int, height: int, rows: int | None = None, colour: int = 0) -> bytes:
    """A greyscale PNG whose header says ``width`` x ``height``; ``rows`` of zero pixels are
    compressed (all of them when None: a decompression bomb when the size is large)."""
    compressor = zlib.compressobj(9)
    body = bytearray()
    row = b"\x00" + bytes(width)
    for _ in range(height if rows is None else rows):
        body += compressor.compress(row)
    body += compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", bytes(body))
            + _chunk(b"IEND", b""))


def _upload(api: Api, case: dict[str, Any], data: bytes, name: str = "x.png",
            media_type: str = "image/png") -> Any:
    return api.post(f"/api/session/{case['case_id']}/artifacts", case["version"],
                    files={"file": (name, data, media_type)}, data={"kind": "image"})


@pytest.fixture
def case(api: Api) -> dict[str, Any]:
    return api.fire(api.create_case(), "BEGIN")


def test_a_case_that_does_not_exist_is_404_before_any_decoding(
        api: Api, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import woundcare.service.uploads as uploads

    def never(*_: Any, **__: Any) -> Any:
        raise AssertionError("decoded before the case was authorised")

    monkeypatch.setattr(uploads, "strip_image_metadata", never)
    monkeypatch.setattr(uploads, "check_pixels", never)
    missing = {"case_id": str(uuid4()), "version": 1}
    response = _upload(api, missing, photo_with_exif(), "a.jpg", "image/jpeg")
    assert response.status_code == 404, response.text


@pytest.mark.parametrize(("width", "height"), [(9000, 9000), (20000, 20000), (60000, 1000),
                                               (1, 50_000_000)])
def test_images_above_the_pixel_limit_are_413_from_the_header(
        api: Api, case: dict[str, Any], width: int, height: int) -> None:
    response = _upload(api, case, png_declaring(width, height, rows=4))
    assert response.status_code == 413, response.text
    body = response.json()
    assert body["code"] == "image_too_large"
    assert body["errors"][0]["path"] == "file"


def test_a_9000_square_png_of_252_kb_is_refused_quickly(api: Api, case: dict[str, Any]) -> None:
    data = png_declaring(9000, 9000)  # the whole image: about 80 KB of zlib
    assert len(data) < 300_000
    response = _upload(api, case, data)
    assert response.status_code == 413


def test_the_pixel_limit_is_a_setting(api: Api, world: World, case: dict[str, Any]) -> None:
    settings = world.runtime.settings
    world.runtime.settings = settings.model_copy(update={"max_image_pixels": 10_000})
    try:
        assert _upload(api, case, png_declaring(200, 200)).status_code == 413
        assert _upload(api, case, png_declaring(50, 50)).status_code == 200
    finally:
        world.runtime.settings = settings


def _valid_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 90)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("damage", ["truncated_jpeg", "truncated_png", "bad_crc",
                                    "idat_garbage", "header_only", "short_rows", "webp_garbage",
                                    "zero_size", "huge_text_chunk"])
def test_damaged_images_are_422_never_500(api: Api, case: dict[str, Any], damage: str) -> None:
    jpeg, png = photo_with_exif(), _valid_png()
    media = "image/png"
    if damage == "truncated_jpeg":
        data, media = jpeg[: len(jpeg) * 2 // 3], "image/jpeg"
    elif damage == "truncated_png":
        data = png[: len(png) - 30]
    elif damage == "bad_crc":
        data = png[:-20] + bytes(b ^ 0xFF for b in png[-20:-12]) + png[-12:]
    elif damage == "idat_garbage":
        data = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 0,
                                                                   0, 0, 0))
                + _chunk(b"IDAT", b"not zlib at all" * 10) + _chunk(b"IEND", b""))
    elif damage == "header_only":
        data = png[:33]
    elif damage == "short_rows":
        data = png_declaring(300, 300, rows=10)
    elif damage == "webp_garbage":
        data, media = b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\x00" * 40, "image/webp"
    elif damage == "zero_size":
        data = png_declaring(0, 0, rows=0)
    else:  # a zTXt chunk that inflates far beyond Pillow's text limit
        text = zlib.compress(b"A" * 20_000_000, 9)
        data = png[:33] + _chunk(b"zTXt", b"Comment\x00\x00" + text) + png[33:]
    response = _upload(api, case, data, media_type=media)
    assert response.status_code in (200, 415, 422), response.text
    if response.status_code == 422:
        assert response.json()["code"] == "unreadable_image"


@pytest.mark.parametrize("pdf", [
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    b"%PDF-1.7\n" + b"[" * 5000 + b"\n%%EOF",
    b"%PDF-1.4\n1 0 obj << /Length 99999999 /Filter /FlateDecode >> stream\nxx\nendstream\n"
    b"endobj\nxref\n0 1\n0000000000 65535 f \ntrailer << /Size 1 /Root 1 0 R >>\n"
    b"startxref\n9\n%%EOF",
    b"%PDF-" + bytes(range(256)) * 20,
])
def test_reading_a_damaged_pdf_is_never_a_500(api: Api, case: dict[str, Any],
                                              pdf: bytes) -> None:
    stored = api.post(f"/api/session/{case['case_id']}/artifacts", case["version"],
                      files={"file": ("x.pdf", pdf, "application/pdf")},
                      data={"kind": "document"})
    assert stored.status_code == 200, stored.text
    artifact_id = stored.json()["record"]["artifacts"][0]["artifact_id"]
    parsed = api.post(f"/api/session/{case['case_id']}/artifacts/{artifact_id}/parse")
    assert parsed.status_code == 422, parsed.text


@pytest.mark.parametrize("site", ["heel\x00left", "heel\ud800"])
def test_a_nul_in_a_form_field_is_422_naming_it(api: Api, case: dict[str, Any],
                                                site: str) -> None:
    files = {"file": ("a.jpg", photo_with_exif(), "image/jpeg")}
    response = api.post(f"/api/session/{case['case_id']}/artifacts", case["version"],
                        files=files, data={"kind": "image",
                                           "site": site.encode("utf-8", "surrogatepass")})
    if "\x00" in site:
        assert response.status_code == 422, response.text[:300]
        assert response.json()["errors"][0]["path"] == "site"
    else:  # the multipart parser decodes invalid UTF-8 as U+FFFD: harmless
        assert response.status_code in (200, 422), response.text[:300]
