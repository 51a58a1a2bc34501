"""Media-type sniffing from the bytes, and re-encoding images without their metadata."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP",
               "image/heic": "JPEG"}  # iPhone HEIC photos are stored as JPEG
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def register_heif() -> None:
    """Let Pillow open HEIC/HEIF (pillow-heif); harmless to call more than once."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def stored_media_type(media_type: str) -> str:
    """The media type an accepted image is stored as after re-encoding."""
    return "image/jpeg" if IMAGE_TYPES.get(media_type) == "JPEG" else media_type
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"OggS", "audio/ogg"),
    (b"ID3", "audio/mpeg"),
    (b"\x1aE\xdf\xa3", "audio/webm"),
)


def sniff_media_type(data: bytes) -> str | None:
    """The media type the bytes themselves declare (never the file name or header)."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if len(data) > 12 and data[4:8] == b"ftyp":
        return "image/heic" if data[8:12] in _HEIF_BRANDS else "audio/mp4"
    if data and all(32 <= b < 127 or b in (9, 10, 13) for b in data[:2048]):
        return "text/plain"
    return None


def strip_image_metadata(data: bytes, media_type: str) -> bytes:
    """Re-encode the pixels only: EXIF (GPS, device, time), XMP and comments are dropped.
    The EXIF orientation is applied to the pixels first so the photo still displays upright."""
    if media_type == "image/heic":
        register_heif()
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        image = ImageOps.exif_transpose(opened)
        if image.mode == "P":
            image = image.convert("RGBA")
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    fmt = IMAGE_TYPES[media_type]
    options: dict[str, object] = {"quality": 92} if fmt in ("JPEG", "WEBP") else {}
    if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    clean.save(out, format=fmt, **options)
    return out.getvalue()
