"""From an upload or pasted text to a Source's text and language, or a clear refusal.

The text is stored as extracted and never edited: quotes are checked against it verbatim. (A PDF's
typographic ligatures are the one exception: they are spelled out as the letters they join.)
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from .. import messages
from ..formatting import format_size
from ..models import normalized_text

EXTENSIONS = (".txt", ".html", ".htm", ".pdf")

# pypdf gives a font's ligature glyphs as Unicode's ligature characters ("ﬁ"), which no one
# searching or quoting types; only these are spelled out (not NFKC: "½" or a no-break space stay).
PDF_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
)


@dataclass(frozen=True)
class Extracted:
    text: str
    language: str


def detect_language(text: str) -> str:
    """The article's language among the content languages; English when undecidable.

    langdetect has no Kyrgyz profile and confuses it and Kazakh with Russian, so the letters only
    those alphabets have decide first (ә, ғ, қ, ң, ұ, һ, і: Kazakh; ң, ө, ү without those: Kyrgyz).
    """
    from langdetect import DetectorFactory, LangDetectException, detect

    sample = text[:5000]
    lower = sample.lower()
    if any(ch in lower for ch in "әғқұһі"):
        return "kk"
    if any(ch in lower for ch in "ңөү"):
        return "ky"
    DetectorFactory.seed = 0  # deterministic answers for the same text
    try:
        code = detect(sample)
    except LangDetectException:
        return settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    known = {code for code, _name in settings.CONTENT_LANGUAGES}
    if code in known:
        return code
    # Cyrillic text langdetect calls Bulgarian, Ukrainian, Macedonian...: Russian among ours.
    if sum("\u0400" <= ch <= "\u04ff" for ch in sample) > len(sample) / 4:
        return "ru"
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ValidationError(messages.NOT_TEXT, code="not_text")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1251" and sum(ch.isalpha() for ch in text) < len(text) / 3:
            break
        return text
    raise ValidationError(messages.NOT_TEXT, code="not_text")


def _from_html(data: bytes) -> str:
    import trafilatura

    html = _decode(data)
    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True
    )
    if not text or not text.strip():
        raise ValidationError(messages.NO_TEXT_FOUND, code="no_text")
    return text


def _from_pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF"):
        raise ValidationError(messages.BAD_PDF, code="bad_pdf")
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(messages.BAD_PDF, code="bad_pdf") from error
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    return text.translate(PDF_LIGATURES)


def text_from_file(name: str, data: bytes) -> str:
    """The article's text from an uploaded file; a ValidationError says why when there is none."""
    limit = settings.INGESTION_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise ValidationError(
            messages.TOO_LARGE, code="too_large", params={"limit": format_size(limit / 1024 / 1024)}
        )
    lower = (name or "").lower()
    if not lower.endswith(EXTENSIONS):
        raise ValidationError(messages.WRONG_TYPE, code="wrong_type")
    if not data.strip():
        raise ValidationError(messages.ARTICLE_EMPTY, code="empty")
    if lower.endswith(".pdf"):
        text = _from_pdf(data)
    elif lower.endswith((".html", ".htm")):
        text = _from_html(data)
    else:
        text = _decode(data)
    return clean_text(text)


def clean_text(text: str) -> str:
    """The text as stored: NFC, Windows line ends unified, outer whitespace trimmed."""
    text = normalized_text(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError(messages.ARTICLE_EMPTY, code="empty")
    return text


def extract(
    *, text: str = "", file_name: str = "", file_data: bytes | None = None, language: str = ""
) -> Extracted:
    """The text and language of an article given as pasted `text` or as an uploaded file."""
    if text and file_data is not None:
        raise ValidationError(messages.TEXT_OR_FILE, code="text_or_file")
    body = text_from_file(file_name, file_data) if file_data is not None else clean_text(text)
    return Extracted(text=body, language=language or detect_language(body))
