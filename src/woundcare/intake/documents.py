"""Text from an uploaded document, for the intake parser: plain text as is, and the text
layer of a PDF (a digital letter or form). Scanned images need OCR, which is not part of
this release: they give no text, and the clinician types what the document says."""

from __future__ import annotations

import io

MAX_PAGES = 20
MAX_CHARS = 50_000


class NoTextFound(ValueError):
    """The document has no text the parser could read."""


def extract_text(data: bytes, media_type: str) -> str:
    if media_type == "text/plain":
        text = data.decode("utf-8", errors="replace")
    elif media_type == "application/pdf":
        text = _pdf_text(data)
    else:
        raise NoTextFound("Text can only be read from plain-text and PDF documents.")
    text = text.strip()[:MAX_CHARS]
    if not text:
        raise NoTextFound("No text was found in this document (a scanned page has none); "
                          "please type what it says.")
    return text


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise NoTextFound("The PDF is password-protected, so its text cannot be read.")
        pages = reader.pages[:MAX_PAGES]
        return "\n".join(page.extract_text() or "" for page in pages)
    except PdfReadError:
        raise NoTextFound("The PDF could not be read.") from None
