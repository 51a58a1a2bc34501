"""Media-type sniffing from the bytes, and re-encoding images without their metadata.

Decoding is bounded: the dimensions are read from the header first and an image above the
pixel limit is refused before a single pixel is decoded; Pillow's own decompression-bomb
error stays as a second line; every decoder failure (truncated data, a
corrupt chunk, a bomb) becomes :class:`UnreadableImage`, never an unexpected error.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow loads with the first image, not when the server starts
    from PIL import Image

DEFAULT_MAX_PIXELS = 40_000_000


class UnreadableImage(ValueError):
    """The bytes could not be decoded as the image type they claim."""


class ImageTooLarge(ValueError):
    """The image's header declares more pixels than the limit."""

    def __init__(self, width: int, height: int, max_pixels: int) -> None:
        super().__init__(f"{width}x{height} pixels is above the limit of {max_pixels}")
        self.width = width
        self.height = height
        self.max_pixels = max_pixels


def _header_reader(data: bytes) -> Image.Image:
    """The format's own reader: parses the header only (``Image.open`` would also apply
    Pillow's bomb check, which hides the dimensions behind an exception)."""
    from PIL import Image, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

    readers: dict[bytes, type[Image.Image]] = {
        b"\xff\xd8\xff": JpegImagePlugin.JpegImageFile,
        b"\x89PNG\r\n\x1a\n": PngImagePlugin.PngImageFile,
    }
    for signature, reader in readers.items():
        if data.startswith(signature):
            return reader(io.BytesIO(data))  # type: ignore[call-arg]
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WebPImagePlugin.WebPImageFile(io.BytesIO(data))
    if _is_heif(data):
        register_heif()
    return Image.open(io.BytesIO(data))


def image_dimensions(data: bytes) -> tuple[int, int]:
    """(width, height) from the image header, without decoding the pixels."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with _header_reader(data) as opened:
                width, height = opened.size
    except Exception as exc:  # any decoder failure: Pillow raises many kinds
        raise UnreadableImage(type(exc).__name__) from None
    if width <= 0 or height <= 0:
        raise UnreadableImage("empty image")
    return int(width), int(height)


def check_pixels(data: bytes, max_pixels: int) -> tuple[int, int]:
    """The header's dimensions; :class:`ImageTooLarge` above ``max_pixels``."""
    width, height = image_dimensions(data)
    if width * height > max_pixels:
        raise ImageTooLarge(width, height, max_pixels)
    return width, height

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


def _is_heif(data: bytes) -> bool:
    return len(data) > 12 and data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS
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
        return "image/heic" if _is_heif(data) else "audio/mp4"
    if data and all(32 <= b < 127 or b in (9, 10, 13) for b in data[:2048]):
        return "text/plain"
    return None


def strip_image_metadata(data: bytes, media_type: str,
                         max_pixels: int = DEFAULT_MAX_PIXELS) -> bytes:
    """Re-encode the pixels only: EXIF (GPS, device, time), XMP and comments are dropped.
    The EXIF orientation is applied to the pixels first so the photo still displays upright.
    Refuses (:class:`ImageTooLarge`) above ``max_pixels`` before decoding; any decoder failure
    is :class:`UnreadableImage`."""
    check_pixels(data, max_pixels)  # Pillow's own bomb check (Image.open) is the second line
    try:
        return _reencode(data, media_type)
    except (ImageTooLarge, MemoryError):
        raise
    except Exception as exc:  # truncated data, corrupt chunks, bombs: never a 500
        raise UnreadableImage(type(exc).__name__) from None


def _reencode(data: bytes, media_type: str) -> bytes:
    from PIL import Image, ImageOps

    if media_type == "image/heic":
        register_heif()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked above
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
            if image.mode == "P":
                image = image.convert("RGBA")
            clean = Image.new(image.mode, image.size)  # a new image carries no metadata
            clean.paste(image)
            del image
    out = io.BytesIO()
    fmt = IMAGE_TYPES[media_type]
    options: dict[str, object] = {"quality": 92} if fmt in ("JPEG", "WEBP") else {}
    if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    clean.save(out, format=fmt, **options)
    return out.getvalue()
